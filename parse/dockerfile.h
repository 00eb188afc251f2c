/* The Dockerfile parser: bytes into a list of instructions with positions. It knows the
 * syntax BuildKit accepts (parser directives, the escape character, line continuations,
 * comment lines, heredocs, JSON exec form) but not what an instruction means: the model
 * (model/docker_load.c) gives FROM, USER, RUN … their meaning. */
#ifndef OPSBOOK_DOCKERFILE_H
#define OPSBOOK_DOCKERFILE_H

#include "core/core.h"
#include "core/finding.h"

/* Maps a byte offset of an instruction's joined text back to the source. */
struct dockerfile_seg {
    size_t off;    /* first byte of this physical line's part in `args` */
    int line, col; /* where that byte is in the file */
};

/* One whitespace-separated word of the arguments; quotes group, the escape character
 * escapes. `text` has quotes and escapes removed; raw/raw_len point into `args`. */
struct dockerfile_word {
    const char *text;
    const char *raw;
    size_t raw_len;
    size_t off; /* offset of raw in args */
};

/* A here-document (`<<EOF` … `EOF`) attached to RUN, COPY or ADD. */
struct dockerfile_heredoc {
    const char *marker; /* EOF */
    const char *body;   /* the lines between, each ending in '\n' */
    int line;           /* first body line (the line after the instruction) */
    int strip_tabs;     /* written as <<- */
    size_t word;        /* index of the <<EOF word in words */
};

struct dockerfile_instr {
    const char *keyword; /* upper case: "FROM", "RUN" */
    const char *args;    /* arguments, continuation lines joined as BuildKit joins them */
    struct dockerfile_seg *segs;
    struct dockerfile_word *words;
    const char **argv; /* its elements when json */
    struct dockerfile_heredoc *heredocs;
    int line, col;     /* of the keyword */
    int end_line;      /* last line, heredoc bodies included */
    int json;          /* arguments are a JSON array of strings (exec form) */
    uint32_t nsegs, nwords, argc, nheredocs;
};

struct dockerfile_ast {
    struct dockerfile_instr *instrs;
    const char *syntax; /* `# syntax=` directive or NULL */
    size_t ninstrs;
    int syntax_line;
    char escape; /* '\\' or '`' (from `# escape=`) */
};

/* Parses `len` bytes into `out`, everything allocated in `a` (the AST may be kept as long as
 * `a` lives). Problems (an unknown instruction, an unterminated heredoc, a bad directive)
 * become `parse-error` findings in `diags` at `path`:line:col; the rest of the file is still
 * parsed. Never fails. */
void dockerfile_parse(struct dockerfile_ast *out, struct arena *a, const char *path,
                      const char *data, size_t len, struct findings *diags);

/* The source line and column of byte `off` of in->args. */
void dockerfile_pos(const struct dockerfile_instr *in, size_t off, int *line, int *col);

/* Parses `s` as a JSON array of strings. Returns the element count and sets *out (in `a`),
 * or -1 when `s` is not such an array (BuildKit then treats it as shell form). */
long dockerfile_json_array(const char ***out, struct arena *a, const char *s);

/* Splits `s` into words like the instruction arguments (quotes group, `escape` escapes). */
size_t dockerfile_words_split(struct dockerfile_word **out, struct arena *a, const char *s,
                              char escape);

#endif
