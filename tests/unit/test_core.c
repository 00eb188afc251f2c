/* core: arena, buffers, map, paths, pool, masking. */
#include <criterion/criterion.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/finding.h"
#include "testlib.h"

Test(core, arena_many_small_and_one_large)
{
    struct arena *a = arena_new();
    char *s = NULL;
    for (int i = 0; i < 10000; i++)
        s = arena_sprintf(a, "item-%d", i);
    cr_assert_str_eq(s, "item-9999");
    char *big = arena_alloc(a, 1 << 20);
    cr_assert_eq(big[12345], 0);
    cr_assert_str_eq(arena_strndup(a, "abcdef", 3), "abc");
    cr_assert_null(arena_strdup(a, NULL));
    arena_free(a);
}

/* A freed arena's blocks serve the thread's next arenas: what they are handed is zeroed
 * still, and the arenas of pool threads (whose cached blocks go when the thread exits) work
 * as any other; ASan and LeakSanitizer check the blocks' lives. */
static void arena_reuse_on(void *ctx, size_t i)
{
    atomic_int *bad = ctx;
    for (int round = 0; round < 50; round++) {
        struct arena *a = arena_new();
        for (int k = 0; k < 40; k++) {
            unsigned char *p = arena_alloc(a, 1000 + (size_t)k);
            for (int j = 0; j < 1000 + k; j++)
                if (p[j])
                    atomic_fetch_add(bad, 1);
            memset(p, 0xa5 ^ (int)i, 1000 + (size_t)k);
        }
        arena_free(a);
    }
}

Test(core, arena_blocks_are_reused_zeroed)
{
    atomic_int bad = 0;
    arena_reuse_on(&bad, 0);
    for (int round = 0; round < 3; round++) /* new threads each round */
        pool_run(8, arena_reuse_on, &bad, 2);
    cr_assert_eq(atomic_load(&bad), 0, "%d bytes handed out were not zero", atomic_load(&bad));
}

Test(core, strbuf_and_vec)
{
    struct strbuf sb = STRBUF_INIT;
    cr_assert_str_eq(sb_str(&sb), "");
    for (int i = 0; i < 1000; i++)
        sb_addf(&sb, "%d,", i % 10);
    cr_assert_eq(sb.len, 2000);
    sb_reset(&sb);
    sb_adds(&sb, "x");
    cr_assert_str_eq(sb.buf, "x");
    sb_release(&sb);
    /* A buffer that was only grown is still an empty string. */
    sb_grow(&sb, 100);
    char *empty = sb_detach(&sb);
    cr_assert_str_eq(empty, "");
    free(empty);
    struct vec v = VEC_INIT;
    for (long i = 0; i < 100; i++)
        vec_push(&v, (void *)i);
    cr_assert_eq(v.len, 100);
    cr_assert_eq((long)v.items[99], 99);
    vec_release(&v);
}

Test(core, strmap_grows_and_overwrites)
{
    struct strmap m = STRMAP_INIT;
    char keys[500][16];
    for (int i = 0; i < 500; i++) {
        snprintf(keys[i], sizeof(keys[i]), "k%d", i);
        strmap_put(&m, keys[i], (void *)(long)(i + 1));
    }
    for (int i = 0; i < 500; i++)
        cr_assert_eq((long)strmap_get(&m, keys[i]), i + 1);
    strmap_put(&m, keys[7], (void *)1000L);
    cr_assert_eq((long)strmap_get(&m, "k7"), 1000);
    cr_assert_null(strmap_get(&m, "missing"));
    cr_assert_eq((long)strmap_getn(&m, "k12345", 3), 13);
    strmap_release(&m);
}

Test(core, paths)
{
    static const struct {
        const char *in, *out;
    } norm[] = {
        {"a/./b//c/", "a/b/c"}, {"a/../../b", "../b"}, {"/x/../../y", "/y"},
        {".", "."},             {"./", "."},           {"k8s/base/../overlays", "k8s/overlays"},
    };
    for (size_t i = 0; i < ARRAY_LEN(norm); i++) {
        char *p = path_normalize(norm[i].in);
        cr_assert_str_eq(p, norm[i].out, "normalize(%s)", norm[i].in);
        free(p);
    }
    char *j = path_join("a/", "/b");
    cr_assert_str_eq(j, "a/b");
    free(j);
    j = path_join(".", "b");
    cr_assert_str_eq(j, "b");
    free(j);
    cr_assert_str_eq(path_base("a/b/c.yaml"), "c.yaml");
    cr_assert_str_eq(path_ext("a/b/c.yaml"), ".yaml");
    cr_assert_str_eq(path_ext("a/.hidden"), "");
    cr_assert(path_has_prefix("/a/b/c", "/a/b"));
    cr_assert(!path_has_prefix("/a/bc", "/a/b"));
    cr_assert(path_has_prefix("/a/b", "/a/b"));
}

static void count_fn(void *ctx, size_t i)
{
    atomic_size_t *sum = ctx;
    atomic_fetch_add(sum, i + 1);
}

Test(core, pool_runs_every_index_once)
{
    for (int threads = 1; threads <= 4; threads++) {
        atomic_size_t sum;
        atomic_init(&sum, 0);
        pool_run(1000, count_fn, &sum, threads);
        cr_assert_eq(atomic_load(&sum), 1000 * 1001 / 2);
    }
}

Test(core, secret_mask_never_shows_the_value)
{
    static const struct {
        const char *value, *masked;
    } cases[] = {
        {"AKIAZ7HKQ2WX4RM5TB3N", "AKIA************"},
        {"hunter2", "*******"},
        {"", ""},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct strbuf sb = STRBUF_INIT;
        secret_mask(&sb, cases[i].value, strlen(cases[i].value));
        cr_assert_str_eq(sb_str(&sb), cases[i].masked);
        sb_release(&sb);
    }
}

Test(core, severity_names_round_trip)
{
    enum severity s;
    cr_assert_eq(severity_parse(&s, "warning"), 0);
    cr_assert_eq(s, SEV_WARNING);
    cr_assert_str_eq(severity_name(SEV_ERROR), "error");
    cr_assert_eq(severity_parse(&s, "fatal"), -1);
}

Test(core, utf8_sequences_and_replacement)
{
    static const struct {
        const char *in;
        size_t len;       /* utf8_seq_len of the first sequence */
        const char *out;  /* sb_add_utf8 of the whole input */
    } cases[] = {
        {"a", 1, "a"},
        {"\xc3\xa9", 2, "\xc3\xa9"},                       /* é */
        {"\xe2\x82\xac", 3, "\xe2\x82\xac"},               /* € */
        {"\xf0\x9f\x9a\x80", 4, "\xf0\x9f\x9a\x80"},       /* U+1F680 */
        {"\xe9t\xe9", 0, "\xef\xbf\xbdt\xef\xbf\xbd"},     /* Latin-1 */
        {"\xc0\xaf", 0, "\xef\xbf\xbd\xef\xbf\xbd"},       /* overlong '/' */
        {"\xed\xa0\x80", 0, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"}, /* surrogate */
        {"\xe2\x82", 0, "\xef\xbf\xbd\xef\xbf\xbd"},       /* truncated */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        cr_assert_eq(utf8_seq_len(cases[i].in, strlen(cases[i].in)), cases[i].len, "case %zu", i);
        struct strbuf sb = STRBUF_INIT;
        sb_add_utf8(&sb, cases[i].in, strlen(cases[i].in));
        cr_assert_str_eq(sb_str(&sb), cases[i].out, "case %zu", i);
        sb_release(&sb);
    }
}

/* A whole file comes back the same whichever way it is read: into the thread's buffer or
 * the heap (small files), mapped (over FILEMAP_READ_MAX), or as nothing (empty); limits and
 * non-files are errors. */
Test(core, filemap_reads_small_large_and_empty_files)
{
    char *dir = t_tmpdir();
    size_t sizes[] = {0, 1, 4096, (size_t)FILEMAP_READ_MAX, (size_t)FILEMAP_READ_MAX + 1};
    for (size_t k = 0; k < ARRAY_LEN(sizes); k++) {
        size_t n = sizes[k];
        char *want = xmalloc(n + 1);
        for (size_t i = 0; i < n; i++)
            want[i] = (char)('a' + (i * 7 + k) % 26);
        char *path = xasprintf("%s/f%zu", dir, k);
        FILE *f = fopen(path, "wb");
        cr_assert(f);
        cr_assert_eq(fwrite(want, 1, n, f), n);
        fclose(f);
        struct filemap fm;
        struct errbuf err = {{0}, 0};
        cr_assert_eq(filemap_open(&fm, path, (size_t)-1, &err), 0, "%s", err.msg);
        cr_assert_eq(fm.len, n);
        cr_assert(n == 0 || memcmp(fm.data, want, n) == 0, "size %zu differs", n);
        cr_assert_eq(fm.mapped, n == 0 ? FILEMAP_NONE
                                : n <= FILEMAP_READ_MAX ? FILEMAP_THREAD : FILEMAP_HEAP);
        if (n && n <= FILEMAP_READ_MAX) {
            /* A second file open at once on this thread must not share the buffer. */
            struct filemap again;
            cr_assert_eq(filemap_open(&again, path, (size_t)-1, &err), 0, "%s", err.msg);
            cr_assert_eq(again.mapped, FILEMAP_HEAP);
            cr_assert(again.data != fm.data && memcmp(again.data, want, n) == 0);
            filemap_close(&again);
            cr_assert(memcmp(fm.data, want, n) == 0, "size %zu: the first read was changed", n);
        }
        filemap_close(&fm);
        if (n > 1) {
            cr_assert_eq(filemap_open(&fm, path, n - 1, &err), -1);
            cr_assert(strstr(err.msg, "limit"), "%s", err.msg);
        }
        free(path);
        free(want);
    }
    struct filemap fm;
    struct errbuf err = {{0}, 0};
    cr_assert_eq(filemap_open(&fm, dir, (size_t)-1, &err), -1);
    cr_assert(strstr(err.msg, "not a regular file"), "%s", err.msg);
    free(dir);
}

/* Packing nests: an inner arena_thread_pack(0) (a pool run on this thread) leaves the outer
 * packing on, so small allocations of two files' arenas still share one block. */
Test(core, arena_packing_nests)
{
    arena_thread_pack(1);
    arena_thread_pack(1);
    arena_thread_pack(0);
    struct arena *a = arena_new_packed(), *b = arena_new_packed();
    char *pa = arena_alloc(a, 16), *pb = arena_alloc(b, 16);
    cr_assert_eq(pb, pa + 16, "still packing: the two arenas share the thread's block");
    arena_thread_pack(0);
    struct arena *c = arena_new_packed(), *d = arena_new_packed();
    char *pc = arena_alloc(c, 16), *pd = arena_alloc(d, 16);
    cr_assert_neq(pd, pc + 16, "packing off: each arena has a block of its own");
    arena_thread_pack(0);   /* one (0) too many changes nothing */
    for (struct arena **x = (struct arena *[]){a, b, c, d, NULL}; *x; x++)
        arena_free(*x);
}

static void intern_from_pool(void *ctx, size_t i)
{
    const char **out = ctx;
    char name[32];
    snprintf(name, sizeof(name), "k8s/base/svc-%zu.yaml", i % 50);
    out[i] = finding_intern(name);
}

/* Equal strings interned anywhere, from any thread, are one copy; findings keep it. */
Test(core, finding_intern_keeps_one_copy)
{
    const char *got[400];
    pool_run(ARRAY_LEN(got), intern_from_pool, got, 4);
    for (size_t i = 0; i < ARRAY_LEN(got); i++) {
        cr_assert_eq(got[i], got[i % 50], "index %zu", i);
        char want[32];
        snprintf(want, sizeof(want), "k8s/base/svc-%zu.yaml", i % 50);
        cr_assert_str_eq(got[i], want);
    }
    cr_assert_neq(got[0], got[1]);
    struct finding *f = finding_new("k8s-privileged", SEV_ERROR, "k8s/base/svc-7.yaml", 3, 1, "x");
    cr_assert_eq(f->path, got[7]);
    cr_assert_eq(f->rule_id, finding_intern("k8s-privileged"));
    finding_free(f);
    cr_assert_str_eq(got[7], "k8s/base/svc-7.yaml", "interned strings outlive findings");
    cr_assert_null(finding_intern(NULL));
}

/* Two packed arenas filling many shared blocks between them: each keeps every block it used
 * alive until it is freed, whichever goes first (ASan checks the reads after the frees). */
Test(core, packed_arenas_share_many_blocks)
{
    arena_thread_pack(1);
    struct arena *a = arena_new_packed(), *b = arena_new_packed();
    char *first_a = NULL;
    for (int i = 0; i < 200; i++) {
        char *p = arena_alloc(i % 3 ? a : b, 8000);
        memset(p, 'a' + i % 26, 8000);
        if (!first_a && i % 3)
            first_a = p;
    }
    cr_assert_geq(arena_used(a) + arena_used(b), 200u * 8000u);
    arena_thread_pack(0);
    arena_free(b);
    cr_assert_eq(first_a[0], 'b', "a's first block outlives b");
    cr_assert_eq(first_a[7999], 'b');
    struct arena *c = arena_new_packed();
    cr_assert_not_null(arena_strdup(c, "unpacked now"));
    arena_free(c);
    arena_free(a);
}

/* The slab allocator tree-sitter runs on: blocks of every size keep what was written to them
 * through realloc across the small/large line both ways, calloc zeroes a reused block, and a
 * freed block is the next one handed out for its size class. */
static void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(seed + i * 7);
}

static int filled(const unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != (unsigned char)(seed + i * 7))
            return 0;
    return 1;
}

Test(core, slab_blocks_keep_their_contents)
{
    enum { N = 600 };
    unsigned char *p[N];
    size_t len[N];
    for (unsigned i = 0; i < N; i++) {
        len[i] = (i * 37) % 3000; /* 0 .. 2999: small and large */
        p[i] = slab_malloc(len[i]);
        cr_assert_not_null(p[i]);
        cr_assert_eq((uintptr_t)p[i] % 16, 0, "16-byte aligned");
        fill(p[i], len[i], i);
    }
    for (unsigned i = 0; i < N; i++) {
        size_t grown = len[i] < 1500 ? len[i] * 2 + 900 : len[i] / 3; /* up, or large to small */
        p[i] = slab_realloc(p[i], grown);
        size_t kept = len[i] < grown ? len[i] : grown;
        cr_assert(filled(p[i], kept, i), "block %u (%zu -> %zu bytes)", i, len[i], grown);
        len[i] = kept;
    }
    for (unsigned i = 0; i < N; i += 2)
        slab_free(p[i]);
    for (unsigned i = 1; i < N; i += 2)
        cr_assert(filled(p[i], len[i], i), "block %u after its neighbours were freed", i);
    for (unsigned i = 1; i < N; i += 2)
        slab_free(p[i]);

    unsigned char *a = slab_malloc(40);
    memset(a, 0xff, 40);
    slab_free(a);
    unsigned char *b = slab_calloc(5, 8);
    cr_assert_eq(b, a, "the freed 48-byte block is reused first");
    for (int i = 0; i < 40; i++)
        cr_assert_eq(b[i], 0);
    slab_free(b);
    slab_free(NULL);
    cr_assert_not_null(slab_realloc(NULL, 10));
}

/* Many threads one after another, each taking blocks, and the blocks freed by another thread:
 * a parse's tree can be freed anywhere. More blocks are live at once than one thread's chunks
 * may hold, so the malloc fallback serves some (ASan and LeakSanitizer check the rest). */
static void slab_from_pool(void *ctx, size_t i)
{
    void **out = ctx;
    enum { PER = 2000 };
    void **blocks = xmalloc(PER * sizeof(*blocks));
    for (size_t j = 0; j < PER; j++) {
        blocks[j] = slab_malloc(16 + j % 200);
        fill(blocks[j], 16, (unsigned)(i + j));
    }
    for (size_t j = 0; j < PER; j++)
        if (!filled(blocks[j], 16, (unsigned)(i + j)))
            blocks[0] = NULL;
    out[i] = blocks;
}

Test(core, slab_blocks_cross_threads_and_outlive_them)
{
    void *out[40];
    for (int round = 0; round < 4; round++) /* new threads each round */
        pool_run(10, slab_from_pool, out + round * 10, 2);
    size_t live = 0;
    for (size_t i = 0; i < ARRAY_LEN(out); i++) {
        void **blocks = out[i];
        cr_assert_not_null(blocks[0], "call %zu read back what it wrote", i);
        for (size_t j = 0; j < 2000; j++) {
            cr_assert(filled(blocks[j], 16, (unsigned)(i % 10 + j)), "block %zu of call %zu", j, i);
            live += 16 + j % 200;
            slab_free(blocks[j]);
        }
        free(blocks);
    }
    cr_assert_gt(live, 8u * 1024 * 1024, "more than one cache's chunks were live");
}
