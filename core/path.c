/* Path and string helpers, and reading a file whole (mmap, with a size cap). */
#include "core.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *path_join(const char *a, const char *b)
{
    if (!*a || strcmp(a, ".") == 0)
        return xstrdup(b);
    if (!*b)
        return xstrdup(a);
    size_t la = strlen(a);
    while (la > 1 && a[la - 1] == '/')
        la--;
    while (*b == '/')
        b++;
    return xasprintf("%.*s/%s", (int)la, a, b);
}

const char *path_base(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

const char *path_ext(const char *p)
{
    const char *base = path_base(p);
    const char *dot = strrchr(base, '.');
    return dot && dot != base ? dot : "";
}

int path_has_prefix(const char *p, const char *dir)
{
    size_t n = strlen(dir);
    if (n == 0)
        return 1;
    if (strncmp(p, dir, n) != 0)
        return 0;
    return p[n] == '\0' || p[n] == '/' || dir[n - 1] == '/';
}

char *path_dirname(const char *p)
{
    const char *s = strrchr(p, '/');
    if (!s)
        return xstrdup("");
    if (s == p)
        return xstrdup("/");
    return xstrndup(p, (size_t)(s - p));
}

char *path_normalize(const char *p)
{
    int absolute = p[0] == '/';
    struct vec parts = VEC_INIT;
    char *copy = xstrdup(p);
    char *save = NULL;
    for (char *tok = strtok_r(copy, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
        if (strcmp(tok, ".") == 0)
            continue;
        if (strcmp(tok, "..") == 0) {
            if (parts.len && strcmp(parts.items[parts.len - 1], "..") != 0) {
                parts.len--;
                continue;
            }
            if (absolute)
                continue;
        }
        vec_push(&parts, tok);
    }
    struct strbuf sb = STRBUF_INIT;
    if (absolute)
        sb_addc(&sb, '/');
    for (size_t i = 0; i < parts.len; i++) {
        if (i)
            sb_addc(&sb, '/');
        sb_adds(&sb, parts.items[i]);
    }
    if (!sb.len)
        sb_addc(&sb, '.');
    vec_release(&parts);
    free(copy);
    return sb_detach(&sb);
}

/* Each thread keeps the buffer of the file it read last for the next one: a scan reads file
 * after file, and a fresh heap block of each file's size costs the allocator more than the
 * read itself. A second file open at once on the same thread gets its own block. */
struct readbuf {
    char *data;
    size_t cap;
    int busy;
};
static pthread_key_t readbuf_key;
static pthread_once_t readbuf_once = PTHREAD_ONCE_INIT;

static void readbuf_free(void *p)
{
    struct readbuf *rb = p;
    free(rb->data);
    free(rb);
}

static void readbuf_key_make(void)
{
    if (pthread_key_create(&readbuf_key, readbuf_free) != 0)
        abort();
}

/* A buffer of at least n bytes for this thread's next file, or NULL when it is in use. */
static char *readbuf_take(size_t n)
{
    pthread_once(&readbuf_once, readbuf_key_make);
    struct readbuf *rb = pthread_getspecific(readbuf_key);
    if (!rb) {
        rb = xcalloc(1, sizeof(*rb));
        if (pthread_setspecific(readbuf_key, rb) != 0)
            abort();
    }
    if (rb->busy)
        return NULL;
    if (rb->cap < n) {
        rb->cap = n < 65536 ? 65536 : n;
        free(rb->data);
        rb->data = xmalloc(rb->cap);
    }
    rb->busy = 1;
    return rb->data;
}

static void readbuf_give_back(void)
{
    struct readbuf *rb = pthread_getspecific(readbuf_key);
    if (rb)
        rb->busy = 0;
}

static atomic_size_t files_opened;

size_t filemap_opened(void)
{
    return atomic_load_explicit(&files_opened, memory_order_relaxed);
}

/* UTF-16 text (a byte-order mark, or ASCII with every other byte zero) as UTF-8 in a heap
 * buffer; NULL when `data` is not UTF-16. Unpaired surrogates become U+FFFD. */
static char *utf16_decode(const unsigned char *d, size_t len, size_t *out_len)
{
    int be;
    size_t i = 0;
    if (len >= 2 && d[0] == 0xff && d[1] == 0xfe) {
        be = 0;
        i = 2;
    } else if (len >= 2 && d[0] == 0xfe && d[1] == 0xff) {
        be = 1;
        i = 2;
    } else if (len >= 4 && d[0] && !d[1] && d[2] && !d[3] && d[0] < 0x80 && d[2] < 0x80) {
        be = 0;
    } else if (len >= 4 && !d[0] && d[1] && !d[2] && d[3] && d[1] < 0x80 && d[3] < 0x80) {
        be = 1;
    } else {
        return NULL;
    }
    struct strbuf sb = STRBUF_INIT;
    sb_grow(&sb, len);
    for (; i + 1 < len; i += 2) {
        unsigned u = be ? (unsigned)d[i] << 8 | d[i + 1] : (unsigned)d[i + 1] << 8 | d[i];
        if (u >= 0xd800 && u < 0xdc00 && i + 3 < len) {
            unsigned lo = be ? (unsigned)d[i + 2] << 8 | d[i + 3]
                             : (unsigned)d[i + 3] << 8 | d[i + 2];
            if (lo >= 0xdc00 && lo < 0xe000) {
                u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
                i += 2;
            }
        }
        if (u >= 0xd800 && u < 0xe000)
            u = 0xfffd;
        char c[4];
        size_t n;
        if (u < 0x80) {
            c[0] = (char)u;
            n = 1;
        } else if (u < 0x800) {
            c[0] = (char)(0xc0 | u >> 6);
            c[1] = (char)(0x80 | (u & 0x3f));
            n = 2;
        } else if (u < 0x10000) {
            c[0] = (char)(0xe0 | u >> 12);
            c[1] = (char)(0x80 | ((u >> 6) & 0x3f));
            c[2] = (char)(0x80 | (u & 0x3f));
            n = 3;
        } else {
            c[0] = (char)(0xf0 | u >> 18);
            c[1] = (char)(0x80 | ((u >> 12) & 0x3f));
            c[2] = (char)(0x80 | ((u >> 6) & 0x3f));
            c[3] = (char)(0x80 | (u & 0x3f));
            n = 4;
        }
        sb_add(&sb, c, n);
    }
    *out_len = sb.len;
    return sb_detach(&sb);
}

/* Reads a whole file into memory. It is never mapped: a file truncated or rewritten while it
 * is read would raise SIGBUS through a mapping, and a read of what is there cannot fail that
 * way. It is opened without blocking and refused unless it is a regular file (a FIFO named
 * like a manifest would wait for a writer forever). UTF-16 text is handed out as UTF-8, so
 * every reader (loaders, excerpts, source pages) sees the same text. */
int filemap_open(struct filemap *out, const char *path, size_t max_size, struct errbuf *err)
{
    out->data = NULL;
    out->len = 0;
    out->mapped = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        errbuf_set(err, "cannot open: %s", strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        errbuf_set(err, "not a regular file (a FIFO, socket or device is never read)");
        close(fd);
        return -1;
    }
    if ((uint64_t)st.st_size > max_size) {
        errbuf_set(err, "file is %lld bytes, over the %zu-byte limit", (long long)st.st_size,
                   max_size);
        close(fd);
        return -1;
    }
    atomic_fetch_add_explicit(&files_opened, 1, memory_order_relaxed);
    if (st.st_size == 0) {
        out->data = "";
        close(fd);
        return 0;
    }
    size_t size = (size_t)st.st_size;
    /* Small files (nearly all) go to a buffer the thread reuses; larger ones to the heap. */
    char *buf = size <= FILEMAP_READ_MAX ? readbuf_take(size + 1) : NULL;
    int own = buf == NULL;
    if (own)
        buf = xmalloc(size + 1);
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n < 0) {
            errbuf_set(err, "cannot read: %s", strerror(errno));
            if (own)
                free(buf);
            else
                readbuf_give_back();
            close(fd);
            return -1;
        }
        if (n == 0)
            break;   /* shrank since fstat: what is there is the file */
        got += (size_t)n;
    }
    close(fd);
    buf[got] = '\0';
    size_t dlen = 0;
    char *decoded = utf16_decode((const unsigned char *)buf, got, &dlen);
    if (decoded) {
        if (own)
            free(buf);
        else
            readbuf_give_back();
        out->data = decoded;
        out->len = dlen;
        out->mapped = FILEMAP_HEAP;
        return 0;
    }
    out->data = buf;
    out->len = got;
    out->mapped = own ? FILEMAP_HEAP : FILEMAP_THREAD;
    return 0;
}

void filemap_close(struct filemap *fm)
{
    if (fm->mapped == FILEMAP_HEAP)
        free((void *)fm->data);
    else if (fm->mapped == FILEMAP_THREAD)
        readbuf_give_back();
    fm->data = NULL;
    fm->len = 0;
    fm->mapped = 0;
}

int str_startswith(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

int str_endswith(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

int str_ieq(const char *a, const char *b)
{
    return strcasecmp(a, b) == 0;
}

const char *str_icasestr(const char *hay, size_t hay_len, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0)
        return hay;
    if (hay_len < n)
        return NULL;
    int first = tolower((unsigned char)needle[0]);
    for (size_t i = 0; i + n <= hay_len; i++) {
        if (tolower((unsigned char)hay[i]) != first)
            continue;
        if (strncasecmp(hay + i, needle, n) == 0)
            return hay + i;
    }
    return NULL;
}

int str_is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)s[i]))
            return 0;
    return 1;
}
