/* Helm loader: chart metadata from Chart.yaml and images from values files, found as
 * `image: repo:tag` scalars or `image: {repository, tag}` maps anywhere in the values. */
#include "helm.h"

#include <stdlib.h>
#include <string.h>

static void image_add(struct unit *u, struct vec *tmp, const char *repo, const char *tag,
                      const struct ynode *at)
{
    struct helm_image *im = arena_alloc(u->arena, sizeof(*im));
    im->repository = arena_strdup(u->arena, repo);
    im->tag = tag && *tag ? arena_strdup(u->arena, tag) : NULL;
    im->raw = im->tag ? arena_sprintf(u->arena, "%s:%s", repo, tag) : im->repository;
    im->loc.line = at->line;
    im->loc.col = at->col;
    vec_push(tmp, im);
}

static void images_walk(struct unit *u, struct vec *tmp, const struct ynode *n, int depth)
{
    if (depth > 50 || !n)
        return;
    if (yml_is_seq(n)) {
        for (size_t i = 0; i < n->len; i++)
            images_walk(u, tmp, n->items[i], depth + 1);
        return;
    }
    if (!yml_is_map(n))
        return;
    for (size_t i = 0; i < n->len; i++) {
        const char *key = yml_str(n->pairs[i].key);
        const struct ynode *v = n->pairs[i].val;
        if (key && strcmp(key, "image") == 0) {
            const char *repo = yml_str(yml_get(v, "repository"));
            if (repo) {
                const struct ynode *tag = yml_get(v, "tag");
                image_add(u, tmp, repo, yml_str(tag), tag ? tag : v);
                continue;
            }
            if (yml_str(v) && *yml_str(v)) {
                const char *s = yml_str(v);
                const char *slash = strrchr(s, '/');
                const char *colon = strrchr(slash ? slash : s, ':');
                char *repo2 = colon ? xstrndup(s, (size_t)(colon - s)) : xstrdup(s);
                image_add(u, tmp, repo2, colon ? colon + 1 : NULL, v);
                free(repo2);
                continue;
            }
        }
        images_walk(u, tmp, v, depth + 1);
    }
}

void helm_load(struct unit *u, const struct yfile *yf)
{
    const struct ynode *root = yf->ndocs ? yf->docs[0].root : NULL;
    struct helm_chart *c = arena_alloc(u->arena, sizeof(*c));
    char *dir = path_dirname(u->file->path);
    c->path = u->file->path;
    c->dir = arena_strdup(u->arena, dir);
    free(dir);
    c->loc.line = root ? root->line : 1;
    c->loc.col = root ? root->col : 1;
    if (u->kind == FK_HELM_VALUES) {
        struct vec tmp = VEC_INIT;
        c->is_values = 1;
        images_walk(u, &tmp, root, 0);
        c->images = arena_alloc(u->arena, (tmp.len + 1) * sizeof(*c->images));
        for (size_t i = 0; i < tmp.len; i++)
            c->images[i] = *(struct helm_image *)tmp.items[i];
        c->nimages = tmp.len;
        vec_release(&tmp);
    } else {
        c->name = arena_strdup(u->arena, yml_str(yml_get(root, "name")));
        c->version = arena_strdup(u->arena, yml_str(yml_get(root, "version")));
        c->app_version = arena_strdup(u->arena, yml_str(yml_get(root, "appVersion")));
        c->type = arena_strdup(u->arena, yml_str(yml_get(root, "type")));
        c->description = arena_strdup(u->arena, yml_str(yml_get(root, "description")));
        const struct ynode *deps = yml_get(root, "dependencies");
        size_t n = yml_is_seq(deps) ? deps->len : 0, j = 0;
        c->dependencies = arena_alloc(u->arena, (n + 1) * sizeof(*c->dependencies));
        for (size_t i = 0; i < n; i++) {
            const char *dep = yml_str(yml_get(deps->items[i], "name"));
            if (dep)
                c->dependencies[j++] = arena_strdup(u->arena, dep);
        }
    }
    vec_push(&u->helm, c);
}
