/* core: the small toolkit every other folder builds on — allocators that abort on OOM,
 * the arena, growable buffers and vectors, a string hash map, error buffers, the thread
 * pool and path helpers. It knows no file format. */
#ifndef OPSBOOK_CORE_H
#define OPSBOOK_CORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The file `opsbook site` leaves in the folder it writes; a scan does not enter a folder that
 * holds one, so a site written inside the repository is never scanned as its content. */
#define OPSBOOK_SITE_MARKER ".opsbook-site"
/* The first line of a text or GitHub report written to a file (JSON, SARIF and JUnit reports
 * are recognised by how they begin); a scan does not read such a file. */
#define OPSBOOK_REPORT_HEADER                                                                  \
    "opsbook report (written by opsbook scan; opsbook scans skip this file)"

/* Allocators: print a message and abort when memory runs out, so callers never check. */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* Slab: malloc, calloc, realloc and free for a library that makes and drops many small
 * blocks (tree-sitter). Blocks up to 1 KiB come from per-thread free lists by 16-byte size
 * class, with no lock, up to a megabyte a thread (kept for reuse, never returned); larger
 * ones, and the rest, from malloc. Any thread may free or resize any block. */
void *slab_malloc(size_t n);
void *slab_calloc(size_t count, size_t n);
void *slab_realloc(void *p, size_t n);
void slab_free(void *p);
/* Bytes the calling thread has asked of the slab functions so far (never decreases): what a
 * parse through them cost, for a budget. */
uint64_t slab_thread_bytes(void);

/* Arena: bump allocation in large blocks, freed all at once by arena_free(). */
struct arena;
struct arena *arena_new(void);
/* An arena whose small allocations, made on a thread between arena_thread_pack(1) and (0),
 * share blocks with the thread's other packed arenas (no unused block tail per arena). A
 * shared block is freed with the last arena that used it. */
struct arena *arena_new_packed(void);
/* Turns packing on (1) or off (0) for the calling thread. Calls nest: packing stays on until
 * every arena_thread_pack(1) has had its (0), and the last lets go of the shared block. */
void arena_thread_pack(int on);
void arena_free(struct arena *a);
void *arena_alloc(struct arena *a, size_t n);          /* zeroed, 16-byte aligned */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);     /* NULL stays NULL */
char *arena_sprintf(struct arena *a, const char *fmt, ...) PRINTF_LIKE(2, 3);
size_t arena_used(const struct arena *a);               /* bytes handed out */

/* Growable byte buffer, always NUL-terminated. */
struct strbuf {
    char *buf;
    size_t len, cap;
};
#define STRBUF_INIT {NULL, 0, 0}
void sb_init(struct strbuf *sb);
void sb_release(struct strbuf *sb);
char *sb_detach(struct strbuf *sb);                     /* caller owns the string */
void sb_grow(struct strbuf *sb, size_t extra);
void sb_add(struct strbuf *sb, const char *s, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...) PRINTF_LIKE(2, 3);
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
void sb_reset(struct strbuf *sb);
const char *sb_str(const struct strbuf *sb);            /* "" when empty */

/* Growable vector of pointers. Counts are 32-bit (vec_push aborts past them): a scan holds
 * one of these per entity list of every file, hundreds of thousands in all. */
struct vec {
    void **items;
    uint32_t len, cap;
};
#define VEC_INIT {NULL, 0, 0}
void vec_push(struct vec *v, void *item);
void vec_release(struct vec *v);                        /* frees the array, not the items */
void vec_sort(struct vec *v, int (*cmp)(const void *a, const void *b)); /* cmp gets void** */

/* String-keyed hash map. Keys are borrowed: they must outlive the map. */
struct strmap {
    struct strmap_slot *slots;
    size_t len, cap;
};
#define STRMAP_INIT {NULL, 0, 0}
void strmap_put(struct strmap *m, const char *key, void *value);
void *strmap_get(const struct strmap *m, const char *key);
void *strmap_getn(const struct strmap *m, const char *key, size_t n);
void strmap_release(struct strmap *m);
uint64_t hash_bytes(const void *p, size_t n, uint64_t seed);

/* Error buffer for tool errors: the first message set wins, later ones are dropped. */
struct errbuf {
    char msg[1024];
    int set;
};
void errbuf_set(struct errbuf *err, const char *fmt, ...) PRINTF_LIKE(2, 3);

/* Parallel for: calls fn(ctx, i) for i in [0, n) on up to `threads` threads (0 = one per
 * online core). Returns when every call has finished. */
typedef void (*pool_fn)(void *ctx, size_t i);
void pool_run(size_t n, pool_fn fn, void *ctx, int threads);
int pool_default_threads(void);

/* Paths. */
char *path_join(const char *a, const char *b);          /* heap; "a/b" without doubling '/' */
const char *path_base(const char *p);                   /* after the last '/' */
const char *path_ext(const char *p);                    /* ".yaml" or "" */
int path_has_prefix(const char *p, const char *dir);    /* p is dir or below it */
char *path_dirname(const char *p);                      /* heap; "" for a bare name */
char *path_normalize(const char *p);                    /* heap; folds ".", "..", "//" */

/* Reading a whole file into memory (never mapped: see filemap_open): up to FILEMAP_READ_MAX
 * bytes into a buffer the thread reuses for its next file, larger files into the heap; only
 * regular files, opened without blocking; UTF-16 comes out as UTF-8. Close on the thread
 * that opened. Returns 0, or -1 with err set. */
enum { FILEMAP_READ_MAX = 1 << 20 };
enum { FILEMAP_NONE, FILEMAP_THREAD, FILEMAP_HEAP };
struct filemap {
    const char *data;
    size_t len;
    int mapped;    /* FILEMAP_NONE (empty file), _THREAD, or _HEAP (a large file, a second
                      file open at once, or UTF-16 decoded) */
};
int filemap_open(struct filemap *out, const char *path, size_t max_size, struct errbuf *err);
void filemap_close(struct filemap *fm);
/* Files filemap_open() has opened so far in this process (for --stats, and for the tests that
 * hold a scan to reading each file once). */
size_t filemap_opened(void);

/* UTF-8. utf8_seq_len: length of the valid sequence at s (at most n bytes), or 0 when it
 * is not one (a stray continuation byte, truncated, overlong, a surrogate, past U+10FFFF).
 * sb_add_utf8: appends s[0..n) with every byte that starts no valid sequence as U+FFFD. */
size_t utf8_seq_len(const char *s, size_t n);
void sb_add_utf8(struct strbuf *sb, const char *s, size_t n);

/* Small string helpers. */
int str_startswith(const char *s, const char *prefix);
int str_endswith(const char *s, const char *suffix);
int str_ieq(const char *a, const char *b);
const char *str_icasestr(const char *hay, size_t hay_len, const char *needle);
int str_is_hex(const char *s, size_t n);

#endif
