/* Allocators that abort on out-of-memory, and the arena every scan allocates its model in.
 * An arena hands out zeroed, aligned memory from large blocks and frees it all at once. A
 * packed arena (one per scanned file) takes its small allocations from a block its thread
 * shares with the other packed arenas it fills, so tens of thousands of small models do not
 * each leave the unused tail of a private block. */
#include "core.h"

#include "sanitize.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n)
{
    fprintf(stderr, "opsbook: out of memory (allocating %zu bytes)\n", n);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        oom(count * size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *xasprintf(const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    if (!sb.buf)
        return xstrdup("");
    return sb_detach(&sb);
}

/* ---- arena ---- */

struct arena_block {
    struct arena_block *next;
    size_t used, size;
    atomic_size_t refs;   /* shared blocks: the packed arenas using it, and its thread */
    _Alignas(16) unsigned char data[];
};

/* One per scanned file, so kept small: most packed arenas use one or two shared blocks. */
struct arena {
    struct arena_block *head;
    size_t total;
    struct arena_block *shared1;   /* the first shared block this packed arena used */
    struct arena_block **shared;   /* the ones after it (capacity: see shared_add) */
    uint32_t nshared;              /* shared1 and the others */
    uint32_t next_size : 31;       /* blocks start small (most files model little) and double */
    uint32_t packed : 1;
};

enum { ARENA_BLOCK = 64 * 1024, SHARED_BLOCK = 256 * 1024, SHARED_MAX = SHARED_BLOCK / 16 };

/* The shared block a thread fills now, while packing is on (see arena_thread_pack): on
 * while tl_packing, the depth of nested arena_thread_pack(1) calls, is above 0. */
static _Thread_local struct arena_block *tl_shared;
static _Thread_local int tl_packing;

static void block_unref(struct arena_block *b)
{
    if (atomic_fetch_sub(&b->refs, 1) == 1)
        free(b);
}

void arena_thread_pack(int on)
{
    tl_packing += on ? 1 : -1;
    if (tl_packing < 0)
        tl_packing = 0;
    if (!tl_packing && tl_shared) {
        block_unref(tl_shared);
        tl_shared = NULL;
    }
}

/* Private blocks of the usual sizes (2 KB doubling to ARENA_BLOCK) that an arena_free on a
 * thread let go wait there, one list per size, for the thread's next arenas, up to
 * BLOCK_CACHE bytes. A scan makes and frees a scratch arena or more per file; handed back to
 * malloc, every 64 KB block freed cost a consolidation of the whole heap, and the blocks
 * taken again were often fresh pages. The blocks go back to malloc when the thread exits. */
enum { BLOCK_MIN = 2048, BLOCK_SIZES = 6, BLOCK_CACHE = 1024 * 1024 };

struct block_cache {
    struct arena_block *free[BLOCK_SIZES];
    size_t bytes;
    int held; /* registered for the thread's exit */
};

static _Thread_local struct block_cache tl_blocks;
static pthread_key_t blocks_key;
static pthread_once_t blocks_once = PTHREAD_ONCE_INIT;

/* Thread exit. An arena freed later in the exit (another key's destructor) may cache a
 * block again: it registers again, and POSIX calls this once more. */
static void blocks_release(void *v)
{
    struct block_cache *c = v;
    for (int i = 0; i < BLOCK_SIZES; i++)
        while (c->free[i]) {
            struct arena_block *b = c->free[i];
            c->free[i] = b->next;
            free(b);
        }
    c->bytes = 0;
    c->held = 0;
}

static void blocks_setup(void)
{
    pthread_key_create(&blocks_key, blocks_release);
}

/* The cache list for blocks of `size` bytes, or -1 when such blocks are not cached. */
static int block_size_index(size_t size)
{
    for (int i = 0; i < BLOCK_SIZES; i++)
        if (size == (size_t)BLOCK_MIN << i)
            return i;
    return -1;
}

static struct arena_block *block_take(size_t size)
{
    int i = block_size_index(size);
    struct arena_block *b = i >= 0 ? tl_blocks.free[i] : NULL;
    if (b) {
        UNPOISON(b->data, size);
        tl_blocks.free[i] = b->next;
        tl_blocks.bytes -= size;
    } else {
        b = xmalloc(sizeof(*b) + size);
    }
    b->used = 0;
    b->size = size;
    return b;
}

static void block_give(struct arena_block *b)
{
    int i = block_size_index(b->size);
    if (i < 0 || tl_blocks.bytes + b->size > BLOCK_CACHE) {
        free(b);
        return;
    }
    if (!tl_blocks.held) {
        pthread_once(&blocks_once, blocks_setup);
        pthread_setspecific(blocks_key, &tl_blocks);
        tl_blocks.held = 1;
    }
    b->next = tl_blocks.free[i];
    tl_blocks.free[i] = b;
    tl_blocks.bytes += b->size;
    POISON(b->data, b->size); /* not the header: the leak checker follows `next` */
}

struct arena *arena_new(void)
{
    return xcalloc(1, sizeof(struct arena));
}

struct arena *arena_new_packed(void)
{
    struct arena *a = arena_new();
    a->packed = 1;
    return a;
}

void arena_free(struct arena *a)
{
    if (!a)
        return;
    struct arena_block *b = a->head;
    while (b) {
        struct arena_block *next = b->next;
        block_give(b);
        b = next;
    }
    if (a->nshared)
        block_unref(a->shared1);
    for (uint32_t i = 1; i < a->nshared; i++)
        block_unref(a->shared[i - 1]);
    free(a->shared);
    free(a);
}

/* Records that `a` uses shared block `b`. The array behind shared1 holds 2 at first and
 * doubles when full: it is grown when the index of the new entry is 0 or a power of two. */
static void shared_add(struct arena *a, struct arena_block *b)
{
    if (a->nshared) {
        uint32_t k = a->nshared - 1;
        if (k == 0 || (k >= 2 && (k & (k - 1)) == 0))
            a->shared = xrealloc(a->shared, (k ? 2 * (size_t)k : 2) * sizeof(*a->shared));
        a->shared[k] = b;
    } else {
        a->shared1 = b;
    }
    a->nshared++;
    atomic_fetch_add(&b->refs, 1);
}

/* `n` bytes aligned to `align` (a power of two up to 16) from the thread's shared block:
 * strings take their exact length, structures start on the next 16-byte boundary. */
static void *shared_alloc(struct arena *a, size_t n, size_t align)
{
    struct arena_block *b = tl_shared;
    size_t off = b ? (b->used + align - 1) & ~(align - 1) : 0;
    if (!b || off > b->size || b->size - off < n) {
        off = 0;
        if (b)
            block_unref(b);
        b = xmalloc(sizeof(*b) + SHARED_BLOCK);
        b->next = NULL;
        b->used = 0;
        b->size = SHARED_BLOCK;
        atomic_init(&b->refs, 1);
        tl_shared = b;
    }
    struct arena_block *last = !a->nshared      ? NULL
                               : a->nshared == 1 ? a->shared1
                                                 : a->shared[a->nshared - 2];
    if (last != b)
        shared_add(a, b);
    void *p = b->data + off;
    b->used = off + n;
    return p;
}

void *arena_alloc(struct arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (a->packed && tl_packing && n <= SHARED_MAX) {
        void *p = shared_alloc(a, n, 16);
        a->total += n;
        memset(p, 0, n);
        return p;
    }
    struct arena_block *b = a->head;
    if (!b || b->size - b->used < n) {
        if (a->next_size == 0)
            a->next_size = 2048;   /* doubles up to ARENA_BLOCK: fits its 31 bits */
        size_t size = n > a->next_size / 4 ? n : a->next_size;
        if (size == a->next_size && a->next_size < ARENA_BLOCK)
            a->next_size *= 2;
        b = block_take(size);
        if (size == n && a->head) {
            /* A large one-off allocation: keep the current block in front for small ones. */
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    void *p = b->data + b->used;
    b->used += n;
    a->total += n;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p;
    if (a->packed && tl_packing && n < SHARED_MAX) {
        p = shared_alloc(a, n + 1, 1);
        a->total += n + 1;
    } else {
        p = arena_alloc(a, n + 1);
    }
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_sprintf(struct arena *a, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        return arena_strdup(a, "");
    if ((size_t)n < sizeof(small))
        return arena_strndup(a, small, (size_t)n);
    char *p = arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

size_t arena_used(const struct arena *a)
{
    return a->total;
}
