/* Redaction: the one routine that keeps secret values out of every output. Each check that
 * finds a secret adds its value here; every output (reports, the model JSON, each file of the
 * site) passes its final bytes through redact_buf, which masks any stretch of 8 bytes or more
 * that stands in a known secret, however the output escaped, quoted, cut or lower-cased the
 * text around it. A name, URL, heading, anchor or message that happens to carry a secret is
 * masked as surely as the line it was found on. */
#ifndef OPSBOOK_REDACT_H
#define OPSBOOK_REDACT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

/* The window: a stretch of this many bytes of a secret is never shown. */
enum { REDACT_WINDOW = 8 };

/* A set of windows, each packed in a uint64_t (never 0), with a 65,536-bit filter in front:
 * most windows of an output miss there. */
struct redact_set {
    uint64_t *keys;   /* open addressing; 0 is empty */
    size_t len, cap;
    uint64_t bloom[1024];
};

struct redact {
    pthread_mutex_t lock;
    struct redact_set strong; /* windows that start a match: they cannot be ordinary text */
    struct redact_set all;    /* every window of a secret: they extend a match both ways */
};

/* A redactor with no secrets; release with redact_free. */
struct redact *redact_new(void);
void redact_free(struct redact *r);
/* Adds a secret value. Safe from any thread. Values shorter than the window are masked at
 * the place they were found only (by the finding's span), never in other text. */
void redact_add(struct redact *r, const char *value, size_t len);
/* Number of windows known (0: nothing to mask, and redact_buf returns at once). */
size_t redact_count(const struct redact *r);
/* Masks buf[0, len) in place with '*' where it holds a window of a known secret; the bytes
 * of escapes around it (JSON `\n`, `\u00XX`, HTML entities, `%XX`) are left whole so the
 * output stays valid. Returns the number of bytes masked. `r` may be NULL. */
size_t redact_buf(const struct redact *r, char *buf, size_t len);
/* redact_buf on a NUL-terminated heap or owned string; NULL stays NULL. */
void redact_str(const struct redact *r, char *s);

#endif
