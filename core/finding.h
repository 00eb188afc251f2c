/* Findings: what every stage reports about the scanned repository. A parse error, a policy
 * violation and a leaked secret are all findings with a rule id and a position; problems in
 * the repository are never tool errors. */
#ifndef OPSBOOK_FINDING_H
#define OPSBOOK_FINDING_H

#include "core.h"

enum severity { SEV_NONE = -1, SEV_NOTE = 0, SEV_WARNING = 1, SEV_ERROR = 2 };

const char *severity_name(enum severity s);
/* Parses "error" | "warning" | "note" (and "none" for --fail-on). Returns 0 or -1. */
int severity_parse(enum severity *out, const char *s);

struct finding {
    const char *rule_id;     /* interned (finding_intern), as are path and display */
    enum severity severity;
    char *message;
    const char *path;    /* relative to the scanned root, '/' separators */
    const char *display; /* the path as the user would open it from the working directory */
    int line, col;       /* 1-based; 0 when the finding is about the whole file */
    int end_line, end_col;
    char *entity;        /* what it is about, e.g. "Deployment/api container web"; may be NULL */
    int mask_col;        /* secrets: 1-based column of the value on `line`, 0 if none */
    int mask_len;        /*          and its length in bytes */
    char *excerpt;       /* the source line, already masked; filled after linting */
    char *overlays;      /* environments the finding holds in, comma-separated; may be NULL */
    char fingerprint[17];
    char *suppressed;    /* reason when suppressed, else NULL */
    char *commit;        /* --history: commit id, author and date; else NULL */
    char *author;
    char *date;
};

/* A list of heap-allocated findings. */
struct findings {
    struct vec v;
};

struct finding *finding_new(const char *rule_id, enum severity sev, const char *path, int line,
                            int col, const char *fmt, ...) PRINTF_LIKE(6, 7);
void finding_free(struct finding *f);
/* The process's one copy of `s` for findings: rule ids and paths repeat across thousands of
 * findings, so they are kept once each and never freed. Safe from any thread. */
const char *finding_intern(const char *s);
/* Frees every interned string. Only for a process that runs scan after scan (a fuzzer) and
 * holds no finding of an earlier one. */
void finding_intern_reset(void);
void findings_add(struct findings *fs, struct finding *f);
void findings_take(struct findings *dst, struct findings *src); /* moves all of src */
void findings_release(struct findings *fs);
void findings_sort(struct findings *fs);  /* path, line, col, rule, message */

/* Writes `len` bytes of a secret value masked: a short prefix kept, the rest as '*'. */
void secret_mask(struct strbuf *out, const char *value, size_t len);

#endif
