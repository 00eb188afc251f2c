/* The slab allocator opsbook hands tree-sitter (see core.h). A parse makes and drops
 * millions of small blocks — subtrees, stack nodes, the scanner's strings — and glibc's
 * malloc spends more on them than the parser does on some of the work it does with them.
 *
 * Every block has a 16-byte header before it: its size class, and while it is free the next
 * free block of that class. A thread takes blocks from its own cache (one free list per
 * class, and the unused end of its current chunk) with no lock, up to a few megabytes of
 * chunks; past that, blocks come from malloc with the same header. A cache belongs to one
 * thread at a time: it goes back to the idle list when its thread exits and the next new
 * thread takes it, so memory is bounded by the threads alive at once, not by the threads
 * ever made. Chunks are never returned to the system; the list of them keeps them
 * reachable. */
#include "core.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define SLAB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLAB_ASAN 1
#endif
#endif

#ifdef SLAB_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define GRAIN 16
#define CLASSES 64                /* small blocks: up to CLASSES * GRAIN = 1024 bytes */
#define SMALL_MAX (CLASSES * GRAIN)
#define CHUNK (256 * 1024)
#define CACHE_MAX (4 * 1024 * 1024) /* chunk bytes a cache may hold; past it, malloc */
#define LARGE UINT32_MAX          /* the class of a block that came from malloc */

struct hdr {
    uint32_t cls;
    uint32_t unused;
    union {
        struct hdr *next; /* a free small block: the next free one of its class */
        size_t size;      /* a large block: the bytes asked for */
    };
};

struct cache {
    struct hdr *free[CLASSES + 1];
    char *bump, *end;    /* the part of the current chunk not yet carved */
    size_t held;         /* bytes of the chunks carved so far */
    struct cache *next;  /* on the idle list */
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_key_t cache_key;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct cache *idle; /* caches no thread holds */
static void *chunks;       /* every chunk, linked through its first word */
static _Thread_local struct cache *mine;

/* Thread exit: the cache goes back for the next thread. A block freed later in the exit
 * (another key's destructor) takes a cache again, and POSIX calls this once more for it. */
static void cache_put(void *v)
{
    struct cache *c = v;
    mine = NULL;
    pthread_mutex_lock(&lock);
    c->next = idle;
    idle = c;
    pthread_mutex_unlock(&lock);
}

static void setup(void)
{
    pthread_key_create(&cache_key, cache_put);
}

static struct cache *cache_get(void)
{
    if (mine)
        return mine;
    pthread_once(&once, setup);
    pthread_mutex_lock(&lock);
    struct cache *c = idle;
    if (c)
        idle = c->next;
    pthread_mutex_unlock(&lock);
    if (!c)
        c = xcalloc(1, sizeof(*c));
    c->next = NULL;
    mine = c;
    pthread_setspecific(cache_key, c);
    return c;
}

/* A new block from the cache's chunk, or NULL when the cache holds all it may: the one file
 * of many megabytes then takes the rest of its blocks from malloc, which can give that memory
 * back or to the model, instead of the slab keeping it for good. */
static struct hdr *carve(struct cache *c, uint32_t cls)
{
    size_t bytes = sizeof(struct hdr) + (size_t)cls * GRAIN;
    if ((size_t)(c->end - c->bump) < bytes) {
        if (c->held + CHUNK > CACHE_MAX)
            return NULL;
        c->held += CHUNK;
        char *chunk = xmalloc(CHUNK);
        pthread_mutex_lock(&lock);
        *(void **)chunk = chunks;
        chunks = chunk;
        pthread_mutex_unlock(&lock);
        c->bump = chunk + GRAIN;
        c->end = chunk + CHUNK;
        POISON(c->bump, (size_t)(c->end - c->bump));
    }
    struct hdr *h = (struct hdr *)c->bump;
    c->bump += bytes;
    UNPOISON(h, sizeof(*h));
    h->cls = cls;
    return h;
}

/* Like xmalloc: a size no memory can hold ends the process with a message. */
static size_t with_hdr(size_t n)
{
    if (n > SIZE_MAX - sizeof(struct hdr)) {
        fprintf(stderr, "opsbook: out of memory (allocating %zu bytes)\n", n);
        abort();
    }
    return sizeof(struct hdr) + n;
}

static size_t block_size(const struct hdr *h)
{
    return h->cls == LARGE ? h->size : (size_t)h->cls * GRAIN;
}

static void *large(size_t n)
{
    struct hdr *h = xmalloc(with_hdr(n));
    h->cls = LARGE;
    h->size = n;
    return h + 1;
}

void *slab_malloc(size_t n)
{
    if (n > SMALL_MAX)
        return large(n);
    struct cache *c = cache_get();
    uint32_t cls = n ? (uint32_t)((n + GRAIN - 1) / GRAIN) : 1;
    struct hdr *h = c->free[cls];
    if (h) {
        c->free[cls] = h->next;
    } else {
        h = carve(c, cls);
        if (!h)
            return large(n);
    }
    UNPOISON(h + 1, (size_t)cls * GRAIN);
    return h + 1;
}

void *slab_calloc(size_t count, size_t n)
{
    size_t total = n && count > SIZE_MAX / n ? SIZE_MAX : count * n;
    void *p = slab_malloc(total);
    memset(p, 0, total);
    return p;
}

void slab_free(void *p)
{
    if (!p)
        return;
    struct hdr *h = (struct hdr *)p - 1;
    if (h->cls == LARGE) {
        free(h);
        return;
    }
    struct cache *c = cache_get();
    POISON(p, (size_t)h->cls * GRAIN);
    h->next = c->free[h->cls];
    c->free[h->cls] = h;
}

void *slab_realloc(void *p, size_t n)
{
    if (!p)
        return slab_malloc(n);
    struct hdr *h = (struct hdr *)p - 1;
    if (h->cls != LARGE && n <= block_size(h))
        return p;
    if (h->cls == LARGE && n > SMALL_MAX) {
        h = xrealloc(h, with_hdr(n));
        h->size = n;
        return h + 1;
    }
    void *q = slab_malloc(n);
    size_t keep = block_size(h);
    memcpy(q, p, keep < n ? keep : n);
    slab_free(p);
    return q;
}
