/* The slab allocator opsbook hands tree-sitter (see core.h). A parse makes and drops
 * millions of small blocks — subtrees, stack nodes, the scanner's strings — and glibc's
 * malloc spends more on them than the parser does on some of the work it does with them.
 *
 * Small blocks live in chunks carved from one reserved address range, so a pointer says by
 * its address alone whether it is a slab block; every other block is malloc's, untouched. A
 * slab block has a 16-byte header before it: its size class, and while it is free the next
 * free block of that class. A thread takes blocks from its own cache (one free list per
 * class, and the unused end of its current chunk) with no lock, up to CACHE_MAX of chunks:
 * the one file of many megabytes takes the rest of its blocks from malloc, which can give
 * that memory back or to the model, instead of the slab keeping it for good. A cache belongs
 * to one thread at a time: it goes back to the idle list when its thread exits and the next
 * new thread takes it, so memory is bounded by the threads alive at once, not by the threads
 * ever made. Chunks are never returned to the system. */
#include "core.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Under AddressSanitizer a free block is poisoned, and every chunk is a root for the leak
 * checker: the region is not malloc's, so LeakSanitizer would not otherwise look in it for
 * pointers to the malloc blocks a slab block holds (a parser's stack in its parser). */
#include "sanitize.h"

#define GRAIN 16
#define CLASSES 64                /* small blocks: up to CLASSES * GRAIN = 1024 bytes */
#define SMALL_MAX (CLASSES * GRAIN)
#define CHUNK (256 * 1024)
#define CACHE_MAX (1024 * 1024)   /* chunk bytes one cache may hold */
#define REGION ((size_t)64 << 20) /* address space reserved for every cache's chunks */

struct hdr {
    uint32_t cls;
    uint32_t unused;
    struct hdr *next; /* while free: the next free block of its class */
};

struct cache {
    struct hdr *free[CLASSES + 1];
    char *bump, *end;   /* the part of the current chunk not yet carved */
    size_t held;        /* bytes of the chunks carved so far */
    struct cache *next; /* on the idle list */
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_key_t cache_key;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct cache *idle; /* caches no thread holds */
static char *region;       /* NULL when it could not be reserved: then everything is malloc's */
static size_t region_used; /* under lock */
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
    void *r = mmap(NULL, REGION, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    region = r == MAP_FAILED ? NULL : r;
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

/* A block was handed out by the slab iff it lies in the region. A block reaches another
 * thread only through some synchronisation, which also publishes `region`. */
static int is_slab(const void *p)
{
    return region && (uintptr_t)p - (uintptr_t)region < REGION;
}

/* A new block from the cache's chunk, or NULL when the cache holds all it may (or the region
 * is used up): the caller then takes the block from malloc. */
static struct hdr *carve(struct cache *c, uint32_t cls)
{
    size_t bytes = sizeof(struct hdr) + (size_t)cls * GRAIN;
    if ((size_t)(c->end - c->bump) < bytes) {
        if (!region || c->held + CHUNK > CACHE_MAX)
            return NULL;
        char *chunk = NULL;
        pthread_mutex_lock(&lock);
        if (region_used + CHUNK <= REGION) {
            chunk = region + region_used;
            region_used += CHUNK;
        }
        pthread_mutex_unlock(&lock);
        if (!chunk)
            return NULL;
        c->held += CHUNK;
        c->bump = chunk;
        c->end = chunk + CHUNK;
        LEAK_ROOT(chunk, CHUNK);
        POISON(c->bump, CHUNK);
    }
    struct hdr *h = (struct hdr *)c->bump;
    c->bump += bytes;
    UNPOISON(h, sizeof(*h));
    h->cls = cls;
    return h;
}

/* Bytes asked of this thread's slab so far: a parse's cost, for its budget. */
static _Thread_local uint64_t asked;

uint64_t slab_thread_bytes(void)
{
    return asked;
}

void *slab_malloc(size_t n)
{
    asked += n;
    if (n > SMALL_MAX)
        return xmalloc(n);
    struct cache *c = cache_get();
    uint32_t cls = n ? (uint32_t)((n + GRAIN - 1) / GRAIN) : 1;
    struct hdr *h = c->free[cls];
    if (h) {
        c->free[cls] = h->next;
    } else {
        h = carve(c, cls);
        if (!h)
            return xmalloc(n);
    }
    UNPOISON(h + 1, (size_t)cls * GRAIN);
    return h + 1;
}

void *slab_calloc(size_t count, size_t n)
{
    if (n && count > SIZE_MAX / n)
        return xcalloc(count, n); /* too big for any memory: xcalloc says so and aborts */
    size_t total = count * n;
    if (total > SMALL_MAX) {
        asked += total;
        return xcalloc(1, total);
    }
    void *p = slab_malloc(total);
    memset(p, 0, total);
    return p;
}

void slab_free(void *p)
{
    if (!p)
        return;
    if (!is_slab(p)) {
        free(p);
        return;
    }
    struct hdr *h = (struct hdr *)p - 1;
    struct cache *c = cache_get();
    POISON(p, (size_t)h->cls * GRAIN);
    h->next = c->free[h->cls];
    c->free[h->cls] = h;
}

void *slab_realloc(void *p, size_t n)
{
    if (!p)
        return slab_malloc(n);
    if (!is_slab(p)) {
        asked += n;
        return xrealloc(p, n);
    }
    const struct hdr *h = (const struct hdr *)p - 1;
    size_t have = (size_t)h->cls * GRAIN;
    if (n <= have)
        return p;
    void *q = slab_malloc(n);
    memcpy(q, p, have);
    slab_free(p);
    return q;
}
