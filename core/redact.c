/* Redaction (see redact.h). A secret is kept as the set of its 8-byte windows, folded to
 * lower case, each packed in a uint64_t; an output is read once with the last 8 bytes in a
 * register, a 64-Kbit filter in front of the set, so masking costs a few instructions a byte
 * and nothing at all when no secret was found. Windows are taken over the bytes that no
 * output escapes (letters, digits and + / = _ - .): an escape or separator splits a window,
 * and the windows on either side still match. */
#include "redact.h"

#include <stdlib.h>
#include <string.h>

#include "core.h"

/* For each byte: 0 when windows are not made of it, else the byte folded to lower case.
 * Windows are made of letters, digits and + / = _ - . */
static const unsigned char fold_tab[256] = {
    ['+'] = '+', ['-'] = '-', ['.'] = '.', ['/'] = '/', ['='] = '=', ['_'] = '_',
#define D(c) [c] = c
    D('0'), D('1'), D('2'), D('3'), D('4'), D('5'), D('6'), D('7'), D('8'), D('9'),
    D('a'), D('b'), D('c'), D('d'), D('e'), D('f'), D('g'), D('h'), D('i'), D('j'), D('k'),
    D('l'), D('m'), D('n'), D('o'), D('p'), D('q'), D('r'), D('s'), D('t'), D('u'), D('v'),
    D('w'), D('x'), D('y'), D('z'),
#undef D
#define U(c) [c] = c + 32
    U('A'), U('B'), U('C'), U('D'), U('E'), U('F'), U('G'), U('H'), U('I'), U('J'), U('K'),
    U('L'), U('M'), U('N'), U('O'), U('P'), U('Q'), U('R'), U('S'), U('T'), U('U'), U('V'),
    U('W'), U('X'), U('Y'), U('Z'),
#undef U
};

static inline int in_class(unsigned char c)
{
    return fold_tab[c] != 0;
}

static inline unsigned char fold(unsigned char c)
{
    return fold_tab[c];
}

static inline uint64_t mix(uint64_t k)
{
    k ^= k >> 31;
    k *= 0x9e3779b97f4a7c15ULL;
    k ^= k >> 29;
    return k;
}

/* The filter's bit of a window: one multiply, for the byte loop of redact_buf. */
static inline unsigned bloom_bit(uint64_t k)
{
    return (unsigned)((k * 0x9e3779b97f4a7c15ULL) >> 48);
}

struct redact *redact_new(void)
{
    struct redact *r = xcalloc(1, sizeof(*r));
    pthread_mutex_init(&r->lock, NULL);
    return r;
}

void redact_free(struct redact *r)
{
    if (!r)
        return;
    pthread_mutex_destroy(&r->lock);
    free(r->strong.keys);
    free(r->all.keys);
    free(r);
}

/* A bound on what one scan remembers (2 x 16 MB of windows): a file of millions of keys is
 * masked as far as its first two million windows go and by its findings' spans after. */
enum { REDACT_MAX_WINDOWS = 2u << 20 };

static void set_put(struct redact_set *r, uint64_t k)
{
    if (r->len >= REDACT_MAX_WINDOWS)
        return;
    if (2 * (r->len + 1) > r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 256;
        uint64_t *keys = xcalloc(cap, sizeof(*keys));
        for (size_t i = 0; i < r->cap; i++) {
            if (!r->keys[i])
                continue;
            size_t j = mix(r->keys[i]) & (cap - 1);
            while (keys[j])
                j = (j + 1) & (cap - 1);
            keys[j] = r->keys[i];
        }
        free(r->keys);
        r->keys = keys;
        r->cap = cap;
    }
    size_t j = mix(k) & (r->cap - 1);
    while (r->keys[j]) {
        if (r->keys[j] == k)
            return;
        j = (j + 1) & (r->cap - 1);
    }
    r->keys[j] = k;
    r->len++;
    unsigned h = bloom_bit(k);
    r->bloom[h >> 6] |= 1ULL << (h & 63);
}

static int set_has(const struct redact_set *r, uint64_t k)
{
    unsigned h = bloom_bit(k);
    if (!r->len || !(r->bloom[h >> 6] & (1ULL << (h & 63))))
        return 0;
    size_t j = mix(k) & (r->cap - 1);
    while (r->keys[j]) {
        if (r->keys[j] == k)
            return 1;
        j = (j + 1) & (r->cap - 1);
    }
    return 0;
}

static int is_letter(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* 1 for a window of ordinary text, which must not start a match: masking it everywhere would
 * hide prose and rule ids. That is a window of digits and separators only, or one without a
 * digit that reads as words: one case ("password", "PRODUCTI") or capitals only where a word
 * starts ("Compose-Local"), never a capital right after a small letter. A secret's random
 * part mixes case and digits, so the windows around such a one still start its match, and
 * every window of it extends the match (the `all` set). */
static int window_plain(const unsigned char *w)
{
    int letters = 0, digit = 0, camel = 0;
    for (int i = 0; i < REDACT_WINDOW; i++) {
        letters |= is_letter(w[i]);
        digit |= w[i] >= '0' && w[i] <= '9';
        camel |= i > 0 && w[i] >= 'A' && w[i] <= 'Z' && w[i - 1] >= 'a' && w[i - 1] <= 'z';
    }
    return digit ? !letters : !camel;
}

void redact_add(struct redact *r, const char *value, size_t len)
{
    const unsigned char *v = (const unsigned char *)value;
    if (!r || len < REDACT_WINDOW)
        return;
    pthread_mutex_lock(&r->lock);
    size_t run = 0;
    uint64_t k = 0;
    for (size_t i = 0; i < len; i++) {
        if (!in_class(v[i])) {
            run = 0;
            continue;
        }
        k = k << 8 | fold(v[i]);
        if (++run < REDACT_WINDOW)
            continue;
        set_put(&r->all, k);
        if (!window_plain(v + i + 1 - REDACT_WINDOW))
            set_put(&r->strong, k);
    }
    pthread_mutex_unlock(&r->lock);
}

size_t redact_count(const struct redact *r)
{
    return r ? r->strong.len : 0;
}

static int is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* 1 when buf[p] belongs to an escape the output wrote: the letter after an odd run of
 * backslashes, the digits of `\uXXXX`, or the two hex digits of `%XX`. */
static int in_escape(const char *buf, size_t p)
{
    size_t n = 0;
    while (n < p && buf[p - 1 - n] == '\\')
        n++;
    if (n & 1)
        return 1;
    for (size_t k = 1; k <= 4 && k < p; k++) {
        if (buf[p - k] == 'u') {
            size_t b = 0;
            while (b < p - k && buf[p - k - 1 - b] == '\\')
                b++;
            if (b & 1)
                return 1;
        }
        if (!is_hex((unsigned char)buf[p - k]) && buf[p - k] != 'u')
            break;
    }
    if (p >= 1 && buf[p - 1] == '%' && is_hex((unsigned char)buf[p]))
        return 1;
    if (p >= 2 && buf[p - 2] == '%' && is_hex((unsigned char)buf[p - 1]))
        return 1;
    return 0;
}

/* The window key of buf[j, j + 8), or 0 when a byte there is not of a window. */
static uint64_t key_at(const char *buf, size_t j)
{
    uint64_t k = 0;
    for (size_t i = j; i < j + REDACT_WINDOW; i++) {
        if (!in_class((unsigned char)buf[i]))
            return 0;
        k = k << 8 | fold((unsigned char)buf[i]);
    }
    return k;
}

static size_t mask_range(char *buf, size_t a, size_t b)
{
    size_t n = 0;
    for (size_t p = a; p < b; p++) {
        if (!in_escape(buf, p)) {
            buf[p] = '*';
            n++;
        }
    }
    return n;
}

size_t redact_buf(const struct redact *r, char *buf, size_t len)
{
    if (!r || !r->strong.len || !buf)
        return 0;
    size_t run = 0, masked = 0, done = 0; /* buf[.., done) is masked as far as it goes */
    int open = 0;                         /* the window ending at i - 1 was masked */
    uint64_t k = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = fold_tab[(unsigned char)buf[i]];
        if (!c) {
            run = 0;
            open = 0;
            continue;
        }
        k = k << 8 | c;
        if (++run < REDACT_WINDOW)
            continue;
        if (open && set_has(&r->all, k)) { /* a match goes on while the secret does */
            masked += mask_range(buf, i, i + 1);
            done = i + 1;
            continue;
        }
        open = 0;
        if (!set_has(&r->strong, k))
            continue;
        /* A new match: first back over the windows before it that are the secret's too. */
        size_t a = i + 1 - REDACT_WINDOW;
        while (a > done && key_at(buf, a - 1) && set_has(&r->all, key_at(buf, a - 1)))
            a--;
        masked += mask_range(buf, a, i + 1);
        done = i + 1;
        open = 1;
    }
    return masked;
}

void redact_str(const struct redact *r, char *s)
{
    if (s)
        redact_buf(r, s, strlen(s));
}
