/* The linker: runs once after every file is loaded and joins entities across files. Each
 * step reads the units' entities and records what it learns on them: Kustomize overlays are
 * rendered, Argo CD apps tied to their manifests, then services and environments derived. */
#include "model.h"
#include "tf.h"

#include "argocd.h"
#include "kustomize.h"
#include "linked.h"

void model_link(struct model *m, int threads)
{
    tf_link(m);
    kustomize_render_all(m, threads);
    argocd_link(m);
    m->linked = linked_model_build(m);
}
