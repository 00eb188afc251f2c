/* docker-compose loader: the positioned YAML tree of a compose file into compose services.
 * Every field has a short and a long syntax in the compose specification (environment as a
 * map or a list of NAME=value, ports and volumes as strings or maps); both become the same
 * model. Fields of an unexpected shape are left unset rather than guessed. */
#include "compose.h"

#include <string.h>

const char *compose_interpolate(struct arena *a, const char *s)
{
    if (!strchr(s, '$'))
        return arena_strdup(a, s);
    struct strbuf sb = STRBUF_INIT;
    const char *result = NULL;
    for (size_t i = 0; s[i];) {
        if (s[i] != '$') {
            sb_addc(&sb, s[i++]);
            continue;
        }
        if (s[i + 1] == '$') {
            sb_addc(&sb, '$');
            i += 2;
            continue;
        }
        if (s[i + 1] != '{')
            goto out; /* $NAME: set by the environment, unknown here */
        size_t k = i + 2;
        while (s[k] && s[k] != '}' && s[k] != ':' && s[k] != '-' && s[k] != '?')
            k++;
        if (s[k] == ':')
            k++;
        const char *close = strchr(s + k, '}');
        if (s[k] != '-' || !close)
            goto out; /* ${NAME}, ${NAME:?err}: unknown */
        sb_add(&sb, s + k + 1, (size_t)(close - (s + k + 1)));
        i = (size_t)(close - s) + 1;
    }
    result = arena_strndup(a, sb_str(&sb), sb.len);
out:
    sb_release(&sb);
    return result;
}

static struct loc node_loc(const struct ynode *n)
{
    return (struct loc){n->line, n->col};
}

/* Copies a vector of arena items of `size` bytes into one arena array. */
static void *flatten(struct arena *a, struct vec *v, size_t size, size_t *n)
{
    char *arr = arena_alloc(a, (v->len ? v->len : 1) * size);
    for (size_t i = 0; i < v->len; i++)
        memcpy(arr + i * size, v->items[i], size);
    *n = v->len;
    vec_release(v);
    return arr;
}

/* Length of the first line of a scalar as written, quotes included. */
static int written_len(const struct ynode *n)
{
    const char *nl = strchr(n->s, '\n');
    size_t len = nl ? (size_t)(nl - n->s) : strlen(n->s);
    return (int)len + (n->quoted && !n->block ? 2 : 0);
}

static void env_load(struct compose_service *sv, struct arena *a, const struct ynode *env)
{
    struct vec items = VEC_INIT;
    if (yml_is_map(env)) {
        for (size_t i = 0; i < env->len; i++) {
            const struct ypair *p = &env->pairs[i];
            struct compose_env *e = arena_alloc(a, sizeof(*e));
            e->name = arena_strdup(a, yml_str(p->key) ? yml_str(p->key) : "");
            e->loc = node_loc(p->key);
            const char *v = yml_str(p->val);
            if (v) {
                e->value = arena_strdup(a, v);
                e->value_loc = node_loc(p->val);
                e->value_len = written_len(p->val);
            }
            vec_push(&items, e);
        }
    } else if (yml_is_seq(env)) {
        for (size_t i = 0; i < env->len; i++) {
            const struct ynode *it = env->items[i];
            const char *s = yml_str(it);
            if (!s)
                continue;
            struct compose_env *e = arena_alloc(a, sizeof(*e));
            e->loc = node_loc(it);
            const char *eq = strchr(s, '=');
            if (eq) {
                e->name = arena_strndup(a, s, (size_t)(eq - s));
                e->value = arena_strdup(a, eq + 1);
                int col = it->col + (int)(eq - s) + 1 + (it->quoted ? 1 : 0);
                e->value_loc = (struct loc){it->line, col};
                e->value_len = (int)strcspn(eq + 1, "\n");
            } else {
                e->name = arena_strdup(a, s);
            }
            vec_push(&items, e);
        }
    }
    sv->env = flatten(a, &items, sizeof(*sv->env), &sv->nenv);
}

/* "[host_ip:][published:]target[/protocol]" */
static void port_short(struct compose_port *p, struct arena *a, const char *s)
{
    char *t = arena_strdup(a, s);
    char *slash = strchr(t, '/');
    if (slash)
        *slash = '\0';
    char *last = strrchr(t, ':');
    if (!last) {
        p->target = t;
        return;
    }
    *last = '\0';
    p->target = last + 1;
    char *prev = strrchr(t, ':');
    if (prev) {
        *prev = '\0';
        p->host_ip = t;
        p->published = prev + 1;
    } else {
        p->published = t;
    }
}

static void ports_load(struct compose_service *sv, struct arena *a, const struct ynode *ports)
{
    struct vec items = VEC_INIT;
    for (size_t i = 0; yml_is_seq(ports) && i < ports->len; i++) {
        const struct ynode *it = ports->items[i];
        struct compose_port *p = arena_alloc(a, sizeof(*p));
        p->loc = node_loc(it);
        if (yml_str(it)) {
            p->raw = arena_strdup(a, yml_str(it));
            port_short(p, a, p->raw);
        } else if (yml_is_map(it)) {
            p->raw = "";
            p->target = arena_strdup(a, yml_str(yml_get(it, "target")));
            p->published = arena_strdup(a, yml_str(yml_get(it, "published")));
            p->host_ip = arena_strdup(a, yml_str(yml_get(it, "host_ip")));
        } else {
            continue;
        }
        vec_push(&items, p);
    }
    sv->ports = flatten(a, &items, sizeof(*sv->ports), &sv->nports);
}

/* The first ':' that is not inside a ${…} interpolation, or NULL. */
static char *colon_outside_braces(char *s)
{
    int depth = 0;
    for (; *s; s++) {
        if (s[0] == '$' && s[1] == '{')
            depth++;
        else if (*s == '}' && depth)
            depth--;
        else if (*s == ':' && !depth)
            return s;
    }
    return NULL;
}

/* "source:target[:mode]", "target" (anonymous) */
static void volume_short(struct compose_volume *v, struct arena *a, const char *s)
{
    char *t = arena_strdup(a, s);
    char *c1 = colon_outside_braces(t);
    if (!c1) {
        v->type = "volume";
        v->target = t;
        return;
    }
    *c1 = '\0';
    char *c2 = colon_outside_braces(c1 + 1);
    if (c2) {
        *c2 = '\0';
        v->read_only = strstr(c2 + 1, "ro") != NULL && strstr(c2 + 1, "rw") == NULL;
    }
    v->source = compose_interpolate(a, t);
    v->target = c1 + 1;
    const char *src = v->source ? v->source : t;
    v->type = (src[0] == '/' || src[0] == '.' || src[0] == '~') ? "bind" : "volume";
}

static void volumes_load(struct compose_service *sv, struct arena *a, const struct ynode *vols)
{
    struct vec items = VEC_INIT;
    for (size_t i = 0; yml_is_seq(vols) && i < vols->len; i++) {
        const struct ynode *it = vols->items[i];
        struct compose_volume *v = arena_alloc(a, sizeof(*v));
        v->loc = node_loc(it);
        if (yml_str(it)) {
            volume_short(v, a, yml_str(it));
        } else if (yml_is_map(it)) {
            const char *type = yml_str(yml_get(it, "type"));
            const char *src = yml_str(yml_get(it, "source"));
            v->type = arena_strdup(a, type ? type : "volume");
            v->source = src ? compose_interpolate(a, src) : NULL;
            v->target = arena_strdup(a, yml_str(yml_get(it, "target")));
            v->read_only = yml_bool(yml_get(it, "read_only")) == 1;
        } else {
            continue;
        }
        vec_push(&items, v);
    }
    sv->volumes = flatten(a, &items, sizeof(*sv->volumes), &sv->nvolumes);
}

static void build_load(struct compose_service *sv, struct arena *a, const struct ypair *p)
{
    sv->has_build = 1;
    sv->build_loc = node_loc(p->key);
    if (yml_str(p->val)) {
        sv->build_context = arena_strdup(a, yml_str(p->val));
    } else {
        const char *ctx = yml_str(yml_get(p->val, "context"));
        sv->build_context = arena_strdup(a, ctx ? ctx : ".");
        sv->build_dockerfile = arena_strdup(a, yml_str(yml_get(p->val, "dockerfile")));
    }
}

static void cap_add_load(struct compose_service *sv, struct arena *a, const struct ynode *caps)
{
    size_t n = yml_is_seq(caps) ? caps->len : 0;
    sv->cap_add = arena_alloc(a, (n + 1) * sizeof(*sv->cap_add));
    sv->cap_add_locs = arena_alloc(a, (n + 1) * sizeof(*sv->cap_add_locs));
    for (size_t i = 0; i < n; i++) {
        const char *s = yml_str(caps->items[i]);
        if (!s)
            continue;
        sv->cap_add[sv->ncap_add] = arena_strdup(a, s);
        sv->cap_add_locs[sv->ncap_add++] = node_loc(caps->items[i]);
    }
}

static void service_load(struct compose_service *sv, struct arena *a, const struct ypair *p)
{
    const struct ynode *m = p->val;
    sv->name = arena_strdup(a, yml_str(p->key) ? yml_str(p->key) : "");
    sv->loc = node_loc(p->key);
    sv->privileged = -1;
    if (!yml_is_map(m))
        return;
    const struct ypair *kv;
    if ((kv = yml_get_pair(m, "image")) && yml_str(kv->val)) {
        sv->image_raw = arena_strdup(a, yml_str(kv->val));
        sv->image_loc = node_loc(kv->val);
        const char *x = compose_interpolate(a, sv->image_raw);
        if (x)
            docker_image_parse(&sv->image, a, x);
    }
    if ((kv = yml_get_pair(m, "build")))
        build_load(sv, a, kv);
    if ((kv = yml_get_pair(m, "privileged"))) {
        sv->privileged = yml_bool(kv->val);
        sv->privileged_loc = node_loc(kv->key);
    }
    if ((kv = yml_get_pair(m, "user")) && yml_str(kv->val)) {
        sv->user = arena_strdup(a, yml_str(kv->val));
        sv->user_loc = node_loc(kv->key);
    }
    if ((kv = yml_get_pair(m, "network_mode")) && yml_str(kv->val)) {
        sv->network_mode = arena_strdup(a, yml_str(kv->val));
        sv->network_mode_loc = node_loc(kv->key);
    }
    ports_load(sv, a, yml_get(m, "ports"));
    env_load(sv, a, yml_get(m, "environment"));
    volumes_load(sv, a, yml_get(m, "volumes"));
    cap_add_load(sv, a, yml_get(m, "cap_add"));
}

void compose_load(struct unit *u, const struct yfile *yf)
{
    struct compose_file *cf = arena_alloc(u->arena, sizeof(*cf));
    cf->path = u->file->path;
    const struct ynode *services =
        yf->ndocs && yf->docs[0].root ? yml_get(yf->docs[0].root, "services") : NULL;
    size_t n = yml_is_map(services) ? services->len : 0;
    cf->services = arena_alloc(u->arena, (n ? n : 1) * sizeof(*cf->services));
    for (size_t i = 0; i < n; i++)
        service_load(&cf->services[cf->nservices++], u->arena, &services->pairs[i]);
    vec_push(&u->compose, cf);
}
