/* Growable strings and pointer vectors, a string-keyed hash map, and error buffers. */
#include "core.h"

#include <stdlib.h>
#include <string.h>

void sb_init(struct strbuf *sb)
{
    sb->buf = NULL;
    sb->len = sb->cap = 0;
}

void sb_release(struct strbuf *sb)
{
    free(sb->buf);
    sb_init(sb);
}

char *sb_detach(struct strbuf *sb)
{
    char *s = sb->buf ? sb->buf : xstrdup("");
    /* A detached string is kept (a finding's message, an excerpt): without the growth slack,
     * which is up to half the buffer. */
    if (sb->buf && sb->cap - sb->len > 32)
        s = xrealloc(s, sb->len + 1);
    sb_init(sb);
    return s;
}

void sb_grow(struct strbuf *sb, size_t extra)
{
    if (sb->len + extra + 1 <= sb->cap)
        return;
    size_t cap = sb->cap ? sb->cap * 2 : 64;
    while (cap < sb->len + extra + 1)
        cap *= 2;
    sb->buf = xrealloc(sb->buf, cap);
    sb->cap = cap;
    sb->buf[sb->len] = '\0'; /* a grown buffer is always a string */
}

void sb_add(struct strbuf *sb, const char *s, size_t n)
{
    sb_grow(sb, n);
    if (n)
        memcpy(sb->buf + sb->len, s, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

void sb_adds(struct strbuf *sb, const char *s)
{
    sb_add(sb, s, strlen(s));
}

void sb_addc(struct strbuf *sb, char c)
{
    sb_grow(sb, 1);
    sb->buf[sb->len++] = c;
    sb->buf[sb->len] = '\0';
}

void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    sb_grow(sb, 64);
    int n = vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, cp);
    va_end(cp);
    if (n < 0)
        return;
    if ((size_t)n >= sb->cap - sb->len) {
        sb_grow(sb, (size_t)n);
        vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
    }
    sb->len += (size_t)n;
}

void sb_addf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(sb, fmt, ap);
    va_end(ap);
}

void sb_reset(struct strbuf *sb)
{
    sb->len = 0;
    if (sb->buf)
        sb->buf[0] = '\0';
}

const char *sb_str(const struct strbuf *sb)
{
    return sb->buf ? sb->buf : "";
}

void vec_push(struct vec *v, void *item)
{
    if (v->len == v->cap) {
        if (v->cap > UINT32_MAX / 2) {
            fprintf(stderr, "opsbook: a list grew past %u items\n", (unsigned)v->cap);
            abort();
        }
        v->cap = v->cap ? v->cap * 2 : 8;
        v->items = xrealloc(v->items, v->cap * sizeof(void *));
    }
    v->items[v->len++] = item;
}

void vec_release(struct vec *v)
{
    free(v->items);
    v->items = NULL;
    v->len = v->cap = 0;
}

void vec_sort(struct vec *v, int (*cmp)(const void *a, const void *b))
{
    if (v->len > 1)
        qsort(v->items, v->len, sizeof(void *), cmp);
}

/* ---- hash map: open addressing, linear probing ---- */

struct strmap_slot {
    const char *key;
    size_t klen;
    uint64_t hash;
    void *value;
};

uint64_t hash_bytes(const void *p, size_t n, uint64_t seed)
{
    /* FNV-1a, 64 bit. */
    const unsigned char *s = p;
    uint64_t h = 1469598103934665603ULL ^ seed;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static struct strmap_slot *strmap_find(const struct strmap *m, const char *key, size_t n,
                                       uint64_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        struct strmap_slot *s = &m->slots[i];
        if (!s->key || (s->hash == h && s->klen == n && memcmp(s->key, key, n) == 0))
            return s;
    }
}

void strmap_put(struct strmap *m, const char *key, void *value)
{
    if ((m->len + 1) * 4 >= m->cap * 3) {
        struct strmap old = *m;
        m->cap = old.cap ? old.cap * 2 : 16;
        m->slots = xcalloc(m->cap, sizeof(struct strmap_slot));
        m->len = 0;
        for (size_t i = 0; i < old.cap; i++) {
            struct strmap_slot *s = &old.slots[i];
            if (s->key) {
                *strmap_find(m, s->key, s->klen, s->hash) = *s;
                m->len++;
            }
        }
        free(old.slots);
    }
    size_t n = strlen(key);
    uint64_t h = hash_bytes(key, n, 0);
    struct strmap_slot *s = strmap_find(m, key, n, h);
    if (!s->key) {
        s->key = key;
        s->klen = n;
        s->hash = h;
        m->len++;
    }
    s->value = value;
}

void *strmap_getn(const struct strmap *m, const char *key, size_t n)
{
    if (!m->cap)
        return NULL;
    struct strmap_slot *s = strmap_find(m, key, n, hash_bytes(key, n, 0));
    return s->key ? s->value : NULL;
}

void *strmap_get(const struct strmap *m, const char *key)
{
    return strmap_getn(m, key, strlen(key));
}

void strmap_release(struct strmap *m)
{
    free(m->slots);
    m->slots = NULL;
    m->len = m->cap = 0;
}

void errbuf_set(struct errbuf *err, const char *fmt, ...)
{
    if (!err || err->set)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    err->set = 1;
}

size_t utf8_seq_len(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len;
    unsigned min;
    unsigned cp;
    if (p[0] < 0x80)
        return 1;
    if ((p[0] & 0xe0) == 0xc0) {
        len = 2, min = 0x80, cp = p[0] & 0x1f;
    } else if ((p[0] & 0xf0) == 0xe0) {
        len = 3, min = 0x800, cp = p[0] & 0x0f;
    } else if ((p[0] & 0xf8) == 0xf0) {
        len = 4, min = 0x10000, cp = p[0] & 0x07;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

void sb_add_utf8(struct strbuf *sb, const char *s, size_t n)
{
    sb_grow(sb, n);
    for (size_t i = 0; i < n;) {
        size_t len = utf8_seq_len(s + i, n - i);
        if (len) {
            sb_add(sb, s + i, len);
            i += len;
        } else {
            sb_adds(sb, "\xef\xbf\xbd");
            i++;
        }
    }
}
