/* Finding construction, ordering and masking. */
#include "finding.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const char *const sev_names[] = {"note", "warning", "error"};

const char *severity_name(enum severity s)
{
    return s >= SEV_NOTE && s <= SEV_ERROR ? sev_names[s] : "none";
}

int severity_parse(enum severity *out, const char *s)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(s, sev_names[i]) == 0) {
            *out = (enum severity)i;
            return 0;
        }
    if (strcmp(s, "none") == 0) {
        *out = SEV_NONE;
        return 0;
    }
    return -1;
}

static struct {
    pthread_mutex_t lock;
    struct strmap map;    /* string -> itself, the one copy */
    struct arena *arena;
} interned = {PTHREAD_MUTEX_INITIALIZER, STRMAP_INIT, NULL};

const char *finding_intern(const char *s)
{
    if (!s)
        return NULL;
    pthread_mutex_lock(&interned.lock);
    const char *k = strmap_get(&interned.map, s);
    if (!k) {
        if (!interned.arena)
            interned.arena = arena_new();
        k = arena_strdup(interned.arena, s);
        strmap_put(&interned.map, k, (void *)k);
    }
    pthread_mutex_unlock(&interned.lock);
    return k;
}

void finding_intern_reset(void)
{
    pthread_mutex_lock(&interned.lock);
    strmap_release(&interned.map);
    arena_free(interned.arena);
    interned.arena = NULL;
    pthread_mutex_unlock(&interned.lock);
}

struct finding *finding_new(const char *rule_id, enum severity sev, const char *path, int line,
                            int col, const char *fmt, ...)
{
    struct finding *f = xcalloc(1, sizeof(*f));
    f->rule_id = finding_intern(rule_id);
    f->severity = sev;
    f->path = finding_intern(path ? path : "");
    f->line = line;
    f->col = col;
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    f->message = sb_detach(&sb);
    return f;
}

void finding_free(struct finding *f)
{
    if (!f)
        return;
    free(f->message);
    free(f->entity);
    free(f->excerpt);
    free(f->overlays);
    free(f->suppressed);
    free(f->commit);
    free(f->author);
    free(f->date);
    free(f);
}

void findings_add(struct findings *fs, struct finding *f)
{
    vec_push(&fs->v, f);
}

void findings_take(struct findings *dst, struct findings *src)
{
    for (size_t i = 0; i < src->v.len; i++)
        vec_push(&dst->v, src->v.items[i]);
    src->v.len = 0;
}

void findings_release(struct findings *fs)
{
    for (size_t i = 0; i < fs->v.len; i++)
        finding_free(fs->v.items[i]);
    vec_release(&fs->v);
}

static int cmp_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int finding_cmp(const void *pa, const void *pb)
{
    const struct finding *a = *(struct finding *const *)pa;
    const struct finding *b = *(struct finding *const *)pb;
    int c = cmp_str(a->path, b->path);
    if (c)
        return c;
    if ((c = cmp_str(a->display, b->display)))   /* the same path under two scan roots */
        return c;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    if ((c = cmp_str(a->rule_id, b->rule_id)))
        return c;
    if ((c = cmp_str(a->commit, b->commit)))
        return c;
    if ((c = cmp_str(a->entity, b->entity)))
        return c;
    return cmp_str(a->message, b->message);
}

void findings_sort(struct findings *fs)
{
    vec_sort(&fs->v, finding_cmp);
}

void secret_mask(struct strbuf *out, const char *value, size_t len)
{
    /* Keep at most 4 leading characters, and only when the value is long enough that
     * they reveal nothing useful (they identify the kind: "AKIA", "ghp_"). */
    size_t keep = len >= 16 ? 4 : 0;
    sb_add(out, value, keep);
    size_t stars = len - keep;
    if (stars > 12)
        stars = 12;
    for (size_t i = 0; i < stars; i++)
        sb_addc(out, '*');
}
