/* The linker: runs once after every file is loaded and joins entities across files. Each
 * step reads the units' entities and records what it learns on them: Kustomize overlays are
 * rendered, Argo CD apps tied to their manifests, then services and environments derived. */
#include "model.h"
#include "tf.h"

#include "argocd.h"
#include "kustomize.h"
#include "linked.h"

/* A deferred file that no render parsed (its kustomization stopped at a cycle, say) is
 * loaded from its kept bytes before anything reads the units' entities. */
static void deferred_load(struct model *m)
{
    for (size_t i = 0; i < m->units.len; i++) {
        struct unit *u = m->units.items[i];
        if (u->defer) {
            model_unit_load(u, u->text, u->text_len);
            u->defer = 0;
        }
    }
}

void model_link(struct model *m, int threads)
{
    tf_link(m);
    kustomize_render_all(m, threads);
    deferred_load(m);
    argocd_link(m);
    m->linked = linked_model_build(m);
}
