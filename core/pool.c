/* The thread pool: a parallel for over [0, n). Workers take the next index from a shared
 * atomic counter, so uneven work (one huge file among small ones) balances itself. */
#include "core.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

struct pool_job {
    size_t n;
    atomic_size_t next;
    pool_fn fn;
    void *ctx;
};

static void *pool_worker(void *arg)
{
    struct pool_job *job = arg;
    arena_thread_pack(1);   /* packed arenas filled here share this worker's blocks */
    for (;;) {
        size_t i = atomic_fetch_add(&job->next, 1);
        if (i >= job->n)
            break;
        job->fn(job->ctx, i);
    }
    arena_thread_pack(0);
    return NULL;
}

int pool_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if (n > 64)
        n = 64;
    return (int)n;
}

void pool_run(size_t n, pool_fn fn, void *ctx, int threads)
{
    struct pool_job job = {.n = n, .fn = fn, .ctx = ctx};
    atomic_init(&job.next, 0);
    if (threads <= 0)
        threads = pool_default_threads();
    if ((size_t)threads > n)
        threads = (int)n;
    if (threads <= 1) {
        pool_worker(&job);
        return;
    }
    pthread_t *tids = xcalloc((size_t)threads - 1, sizeof(pthread_t));
    int started = 0;
    for (int t = 0; t < threads - 1; t++) {
        if (pthread_create(&tids[t], NULL, pool_worker, &job) != 0)
            break;
        started++;
    }
    pool_worker(&job); /* the calling thread works too */
    for (int t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    free(tids);
}
