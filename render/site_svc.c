/* Service and environment pages, from the linked model: for a service, its workload and
 * containers, where it runs with which image, how it is exposed and scaled, the config and
 * secrets it reads (names only), what builds and deploys it, its runbooks and its findings;
 * for an environment, how a change gets there, its gates and what runs there. */
#include "site_int.h"

#include <stdlib.h>
#include <string.h>

#include "model/linked.h"

static const struct linked_model *lm_of(const struct site *site)
{
    return site->scan->model.linked;
}

void site_link_service(struct page_out *po, const char *name)
{
    const char *p = strmap_get(&po->site->svc_page, name);
    if (p)
        site_link(po, p, NULL, name);
    else
        html_esc(po->sb, name);
}

void site_link_env(struct page_out *po, const char *name)
{
    const struct linked_model *lm = lm_of(po->site);
    const struct environment *e = lm ? linked_env_find(lm, name) : NULL;
    const char *p = e ? strmap_get(&po->site->env_page, e->name) : NULL;
    sb_addf(po->sb, "<span class=\"tag %s\">", e && e->production ? "prod" : "env");
    if (p)
        site_link(po, p, NULL, name);
    else
        html_esc(po->sb, name);
    sb_adds(po->sb, "</span>");
}

/* A link for an entity id of the linked model ("job:path#id", "argocd:path#name",
 * "overlay:path", "dockerfile:path", "workflow:path#id", "terraform:dir", "k8s:path#K/n"). */
void site_link_entity(struct page_out *po, const char *id)
{
    const char *colon = strchr(id, ':');
    if (!colon) {
        html_esc(po->sb, id);
        return;
    }
    const char *path = colon + 1;
    const char *hash = strchr(path, '#');
    char *p = hash ? xstrndup(path, (size_t)(hash - path)) : xstrdup(path);
    const char *name = hash ? hash + 1 : NULL;
    size_t kind_len = (size_t)(colon - id);
    const char *label = name ? name : p;
    struct strbuf text = STRBUF_INIT;
    sb_add(&text, id, kind_len);
    sb_adds(&text, " ");
    sb_adds(&text, label);
    int job = (kind_len == 3 && !strncmp(id, "job", 3)) ||
              (kind_len == 8 && !strncmp(id, "workflow", 8));
    const char *main = strmap_get(&po->site->main_page, p);
    const char *src = strmap_get(&po->site->src_page, p);
    if (job && main && name) {
        char *anchor = site_job_anchor_find(po->site, p, name);
        site_link(po, main, anchor, sb_str(&text));
        free(anchor);
    } else if (main) {
        site_link(po, main, NULL, sb_str(&text));
    } else if (src && *src) {
        site_link(po, src, NULL, sb_str(&text));
    } else if (kind_len == 9 && !strncmp(id, "terraform", 9)) {
        char *dir = xstrdup(p);
        while (*dir && dir[strlen(dir) - 1] == '/')
            dir[strlen(dir) - 1] = '\0';
        const char *tp = strmap_get(&po->site->tf_page, dir);
        site_link(po, tp && *tp ? tp : "infrastructure.html", NULL, sb_str(&text));
        free(dir);
    } else {
        html_esc(po->sb, sb_str(&text));
    }
    if (job && name) {
        sb_adds(po->sb, " <span class=\"path\">");
        html_esc(po->sb, p);
        sb_adds(po->sb, "</span>");
    }
    sb_release(&text);
    free(p);
}

static void obj_link(struct page_out *po, const struct obj_ref *r)
{
    struct strbuf t = STRBUF_INIT;
    sb_addf(&t, "%s/%s", r->obj->kind ? r->obj->kind : "?", r->obj->name ? r->obj->name : "?");
    site_link_unit(po, r->unit->file->path, r->obj->loc.line, sb_str(&t));
    sb_release(&t);
}

static void probe_cell(struct strbuf *sb, const struct k8s_probe *p)
{
    if (!p->present) {
        sb_adds(sb, "<span class=\"pin no\">none</span>");
        return;
    }
    sb_adds(sb, "<span class=\"pin ok\">");
    html_esc(sb, p->handler ? p->handler : "set");
    if (p->path) {
        sb_adds(sb, " ");
        html_esc(sb, p->path);
    }
    sb_adds(sb, "</span>");
}

static void tri(struct strbuf *sb, const char *label, int v, int good)
{
    if (v < 0)
        return;
    sb_addf(sb, "<span class=\"pin %s\">%s: %s</span> ", v == good ? "ok" : "no", label,
            v ? "true" : "false");
}

static void containers(struct page_out *po, const struct k8s_podspec *pod)
{
    struct strbuf *sb = po->sb;
    sb_adds(sb, "<table>\n<thead><tr><th>Container</th><th>Image</th><th>Readiness</th>"
                "<th>Liveness</th><th>Resources</th><th>Security</th></tr></thead>\n<tbody>\n");
    for (int pass = 0; pass < 2; pass++) {
        size_t n = pass ? pod->ninit : pod->ncontainers;
        struct k8s_container **cs = pass ? pod->init_containers : pod->containers;
        for (size_t c = 0; c < n; c++) {
            const struct k8s_container *ct = cs[c];
            sb_adds(sb, "<tr><td>");
            html_esc(sb, ct->name);
            if (ct->init)
                sb_adds(sb, " <span class=\"tag\">init</span>");
            sb_adds(sb, "</td><td><code>");
            html_esc(sb, ct->image_raw ? ct->image_raw : "(none)");
            sb_adds(sb, "</code></td><td>");
            if (ct->init) {
                sb_adds(sb, "<span class=\"muted\">n/a</span></td><td><span class=\"muted\">"
                            "n/a</span>");
            } else {
                probe_cell(sb, ct->readiness);
                sb_adds(sb, "</td><td>");
                probe_cell(sb, ct->liveness);
            }
            sb_adds(sb, "</td><td>");
            if (ct->has_resources) {
                sb_adds(sb, "<span class=\"muted\">req</span> ");
                html_esc(sb, ct->req_cpu ? ct->req_cpu : "–");
                sb_adds(sb, " / ");
                html_esc(sb, ct->req_mem ? ct->req_mem : "–");
                sb_adds(sb, "<br><span class=\"muted\">lim</span> ");
                html_esc(sb, ct->lim_cpu ? ct->lim_cpu : "–");
                sb_adds(sb, " / ");
                html_esc(sb, ct->lim_mem ? ct->lim_mem : "–");
            } else {
                sb_adds(sb, "<span class=\"pin no\">none</span>");
            }
            sb_adds(sb, "</td><td>");
            tri(sb, "runAsNonRoot", ct->sc->run_as_non_root, 1);
            tri(sb, "readOnlyRootFilesystem", ct->sc->read_only_root_fs, 1);
            tri(sb, "privileged", ct->sc->privileged, 0);
            tri(sb, "allowPrivilegeEscalation", ct->sc->allow_privilege_escalation, 0);
            sb_adds(sb, "</td></tr>\n");
        }
    }
    sb_adds(sb, "</tbody>\n</table>\n");
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void push_unique(struct vec *v, const char *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < v->len; i++)
        if (strcmp(v->items[i], s) == 0)
            return;
    vec_push(v, (void *)s);
}

/* Secrets and ConfigMaps a pod reads, by name (never a value). */
/* Names (escaped) each in `open`…</code>, or a muted "none". */
static void names_list(struct strbuf *sb, const struct vec *names, const char *open)
{
    for (size_t i = 0; i < names->len; i++) {
        sb_adds(sb, open);
        html_esc(sb, names->items[i]);
        sb_adds(sb, "</code> ");
    }
    if (!names->len)
        sb_adds(sb, "<span class=\"muted\">none</span>");
}

static void config_refs(struct page_out *po, const struct k8s_podspec *pod)
{
    struct vec secrets = VEC_INIT, maps = VEC_INIT;
    for (size_t c = 0; c < pod->ncontainers + pod->ninit; c++) {
        const struct k8s_container *ct =
            c < pod->ncontainers ? pod->containers[c] : pod->init_containers[c - pod->ncontainers];
        for (size_t e = 0; e < ct->nenv; e++) {
            push_unique(&secrets, ct->env[e].secret_name);
            push_unique(&maps, ct->env[e].configmap_name);
        }
        for (const char **s = ct->env_from_secrets; s && *s; s++)
            push_unique(&secrets, *s);
        for (const char **s = ct->env_from_configmaps; s && *s; s++)
            push_unique(&maps, *s);
    }
    for (size_t v = 0; v < pod->nvolumes; v++) {
        push_unique(&secrets, pod->volumes[v].secret_name);
        push_unique(&maps, pod->volumes[v].configmap_name);
    }
    vec_sort(&secrets, str_cmp);
    vec_sort(&maps, str_cmp);
    struct strbuf *sb = po->sb;
    sb_adds(sb, "<dl class=\"facts\">\n<dt>Secrets</dt><dd>");
    names_list(sb, &secrets, "<code class=\"secret\">");
    sb_adds(sb, "</dd>\n<dt>ConfigMaps</dt><dd>");
    names_list(sb, &maps, "<code>");
    sb_adds(sb, "</dd>\n</dl>\n");
    vec_release(&secrets);
    vec_release(&maps);
}

static void refs_list(struct page_out *po, const char *title, const struct vec *refs)
{
    struct strbuf *sb = po->sb;
    sb_addf(sb, "<dt>%s</dt><dd>", title);
    for (size_t i = 0; i < refs->len; i++) {
        const struct obj_ref *r = refs->items[i];
        obj_link(po, r);
        const struct k8s_kind_extra *x = r->obj->extra;
        if (x && x->ning_hosts) {
            sb_adds(sb, " <span class=\"muted\">");
            for (size_t h = 0; h < x->ning_hosts; h++) {
                html_esc(sb, x->ing_hosts[h]);
                sb_adds(sb, h + 1 < x->ning_hosts ? ", " : "");
            }
            sb_adds(sb, "</span>");
        }
        if (x && x->max_replicas > 0)
            sb_addf(sb, " <span class=\"muted\">%lld–%lld replicas</span>", x->min_replicas,
                    x->max_replicas);
        if (x && (x->min_available || x->max_unavailable)) {
            sb_adds(sb, " <span class=\"muted\">");
            html_esc(sb, x->min_available ? "minAvailable " : "maxUnavailable ");
            html_esc(sb, x->min_available ? x->min_available : x->max_unavailable);
            sb_adds(sb, "</span>");
        }
        if (x && x->svc_type) {
            sb_adds(sb, " <span class=\"muted\">");
            html_esc(sb, x->svc_type);
            sb_adds(sb, "</span>");
        }
        sb_adds(sb, "<br>");
    }
    if (!refs->len)
        sb_adds(sb, "<span class=\"muted\">none</span>");
    sb_adds(sb, "</dd>\n");
}

static void ids_list(struct page_out *po, const char *title, const struct vec *ids)
{
    struct strbuf *sb = po->sb;
    sb_addf(sb, "<dt>%s</dt><dd>", title);
    for (size_t i = 0; i < ids->len; i++) {
        site_link_entity(po, ids->items[i]);
        sb_adds(sb, "<br>");
    }
    if (!ids->len)
        sb_adds(sb, "<span class=\"muted\">none</span>");
    sb_adds(sb, "</dd>\n");
}

/* The files that make up a service: its findings are the findings in them. */
void site_service_files(const struct service *s, struct vec *out)
{
    push_unique(out, s->workload.unit->file->path);
    const struct vec *groups[] = {&s->selected_by, &s->routes, &s->hpas, &s->pdbs, &s->netpols};
    for (size_t g = 0; g < ARRAY_LEN(groups); g++)
        for (size_t i = 0; i < groups[g]->len; i++)
            push_unique(out, ((const struct obj_ref *)groups[g]->items[i])->unit->file->path);
    for (size_t i = 0; i < s->dockerfiles.len; i++)
        push_unique(out, s->dockerfiles.items[i]);
    for (size_t i = 0; i < s->envs.len; i++) {
        const struct svc_env *se = s->envs.items[i];
        push_unique(out, se->overlay);
        for (size_t k = 0; k < se->nimages; k++)
            push_unique(out, se->image_paths[k]);
    }
    vec_sort(out, str_cmp);
}

void site_page_service(struct page_out *po)
{
    const struct site *site = po->site;
    const struct service *s = po->page->obj;
    struct strbuf *sb = po->sb;
    const struct k8s_object *w = s->workload.obj;
    struct strbuf sub = STRBUF_INIT;
    sb_addf(&sub, "%s in %s", w->kind ? w->kind : "workload", s->workload.unit->file->path);
    site_frame_open(po, s->name, sb_str(&sub));
    sb_release(&sub);

    sb_adds(sb, "<dl class=\"facts\">\n<dt>Workload</dt><dd>");
    obj_link(po, &s->workload);
    sb_adds(sb, "</dd>\n");
    if (w->namespace) {
        sb_adds(sb, "<dt>Namespace</dt><dd><code>");
        html_esc(sb, w->namespace);
        sb_adds(sb, "</code></dd>\n");
    }
    if (w->replicas >= 0)
        sb_addf(sb, "<dt>Replicas (base)</dt><dd>%lld</dd>\n", w->replicas);
    sb_adds(sb, "</dl>\n");

    sb_adds(sb, "<h2 id=\"environments\">Where it runs</h2>\n");
    if (!s->envs.len) {
        sb_adds(sb, "<p class=\"empty\">No overlay or Argo CD application deploys it.</p>\n");
    } else {
        sb_adds(sb, "<table>\n<thead><tr><th>Environment</th><th>Image</th><th>Overlay</th>"
                    "<th>Deployed by</th></tr></thead>\n<tbody>\n");
        for (size_t i = 0; i < s->envs.len; i++) {
            const struct svc_env *se = s->envs.items[i];
            sb_adds(sb, "<tr><td>");
            site_link_env(po, se->env);
            sb_adds(sb, "</td><td>");
            for (size_t k = 0; k < se->nimages; k++) {
                sb_adds(sb, "<code>");
                html_esc(sb, se->images[k]);
                sb_adds(sb, "</code> ");
                if (se->image_paths[k])
                    site_link_unit(po, se->image_paths[k], se->image_lines[k], "source");
                sb_adds(sb, "<br>");
            }
            sb_adds(sb, "</td><td>");
            if (se->overlay)
                site_link_unit(po, se->overlay, 0, se->overlay);
            sb_adds(sb, "</td><td>");
            if (se->deployed_by)
                site_link_entity(po, se->deployed_by);
            sb_adds(sb, "</td></tr>\n");
        }
        sb_adds(sb, "</tbody>\n</table>\n");
    }

    if (w->pod) {
        sb_adds(sb, "<h2 id=\"containers\">Containers</h2>\n");
        containers(po, w->pod);
    }
    sb_adds(sb, "<h2 id=\"exposure\">Exposure, scaling and network</h2>\n<dl class=\"facts\">\n");
    refs_list(po, "Services", &s->selected_by);
    refs_list(po, "Ingress", &s->routes);
    refs_list(po, "Autoscaling", &s->hpas);
    refs_list(po, "Disruption budget", &s->pdbs);
    refs_list(po, "Network policies", &s->netpols);
    sb_adds(sb, "</dl>\n");
    if (w->pod) {
        sb_adds(sb, "<h2 id=\"config\">Configuration and secrets it reads</h2>\n");
        config_refs(po, w->pod);
    }
    sb_adds(sb, "<h2 id=\"delivery\">Build and delivery</h2>\n<dl class=\"facts\">\n");
    sb_adds(sb, "<dt>Dockerfiles</dt><dd>");
    for (size_t i = 0; i < s->dockerfiles.len; i++) {
        site_link_unit(po, s->dockerfiles.items[i], 0, s->dockerfiles.items[i]);
        sb_adds(sb, "<br>");
    }
    if (!s->dockerfiles.len)
        sb_adds(sb, "<span class=\"muted\">none found</span>");
    sb_adds(sb, "</dd>\n");
    ids_list(po, "Built by", &s->build_jobs);
    ids_list(po, "Deployed by", &s->deployers);
    sb_adds(sb, "</dl>\n");

    struct vec files = VEC_INIT, found = VEC_INIT;
    site_service_files(s, &files);
    const struct vec *docs = strmap_get(&site->svc_docs, s->name);
    sb_adds(sb, "<h2 id=\"runbooks\">Runbooks and docs</h2>\n");
    if (!docs || !docs->len) {
        sb_adds(sb, "<p class=\"empty\">No doc mentions this service.</p>\n");
    } else {
        sb_adds(sb, "<ul>\n");
        for (size_t i = 0; i < docs->len; i++) {
            const struct unit *u = docs->items[i];
            sb_adds(sb, "<li>");
            site_link(po, strmap_get(&site->main_page, u->file->path), NULL,
                      ((const struct doc_page *)u->docs.items[0])->title);
            sb_adds(sb, " <span class=\"path\">");
            html_esc(sb, u->file->path);
            sb_adds(sb, "</span></li>\n");
        }
        sb_adds(sb, "</ul>\n");
    }
    for (size_t i = 0; i < files.len; i++) {
        const struct site_file_findings *ff = site_findings_of(site, files.items[i]);
        for (size_t k = 0; ff && k < ff->v.len; k++)
            vec_push(&found, ff->v.items[k]);
    }
    sb_addf(sb, "<h2 id=\"findings\">Findings <span class=\"count\">%u</span></h2>\n", found.len);
    site_findings_table(po, &found, 1, 0);
    vec_release(&files);
    vec_release(&found);
    site_frame_close(po);
}

void site_page_services(struct page_out *po)
{
    site_frame_open(po, "Services", "Every workload, where it runs and with which image.");
    site_services_table(po);
    site_frame_close(po);
}

void site_services_table(struct page_out *po)
{
    const struct linked_model *lm = lm_of(po->site);
    struct strbuf *sb = po->sb;
    if (!lm || !lm->services.len) {
        sb_adds(sb, "<p class=\"empty\">No services: no workload was found in the manifests."
                    "</p>\n");
        return;
    }
    sb_adds(sb, "<table>\n<thead><tr><th>Service</th><th>Workload</th><th>Environments</th>"
                "<th class=\"num\">Findings</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < lm->services.len; i++) {
        const struct service *s = lm->services.items[i];
        sb_adds(sb, "<tr><td>");
        site_link_service(po, s->name);
        sb_adds(sb, "</td><td>");
        obj_link(po, &s->workload);
        sb_adds(sb, "</td><td>");
        for (size_t e = 0; e < s->envs.len; e++) {
            site_link_env(po, ((const struct svc_env *)s->envs.items[e])->env);
            sb_adds(sb, " ");
        }
        struct vec files = VEC_INIT;
        site_service_files(s, &files);
        size_t n = 0;
        for (size_t f = 0; f < files.len; f++) {
            const struct site_file_findings *ff = site_findings_of(po->site, files.items[f]);
            n += ff ? ff->v.len : 0;
        }
        vec_release(&files);
        sb_addf(sb, "</td><td class=\"num\">%zu</td></tr>\n", n);
    }
    sb_adds(sb, "</tbody>\n</table>\n");
}

/* The promotion path: environments in order, each with its gates. */
void site_env_strip(struct page_out *po, const char *current)
{
    const struct linked_model *lm = lm_of(po->site);
    struct strbuf *sb = po->sb;
    if (!lm || !lm->environments.len) {
        sb_adds(sb, "<p class=\"empty\">No environments were found.</p>\n");
        return;
    }
    sb_adds(sb, "<ol class=\"promotion\">\n");
    for (size_t i = 0; i < lm->environments.len; i++) {
        const struct environment *e = lm->environments.items[i];
        int here = current && strcmp(current, e->name) == 0;
        if (i)
            sb_adds(sb, "<li class=\"arrow\" aria-hidden=\"true\">\xe2\x86\x92</li>\n");
        sb_addf(sb, "<li class=\"stage%s%s\">", e->production ? " prod" : "", here ? " here" : "");
        site_link(po, strmap_get(&po->site->env_page, e->name), NULL, e->name);
        sb_adds(sb, "<div class=\"gates\">");
        for (size_t g = 0; g < e->gates.len; g++) {
            sb_adds(sb, "<span class=\"gate\">");
            html_esc(sb, e->gates.items[g]);
            sb_adds(sb, "</span>");
        }
        if (!e->gates.len)
            sb_adds(sb, "<span class=\"gate none\">no gate</span>");
        sb_adds(sb, "</div></li>\n");
    }
    sb_adds(sb, "</ol>\n");
}

void site_page_envs(struct page_out *po)
{
    struct strbuf *sb = po->sb;
    site_frame_open(po, "Environments", "In promotion order, with the gates a change passes.");
    site_env_strip(po, NULL);
    const struct linked_model *lm = lm_of(po->site);
    if (lm && lm->environments.len) {
        sb_adds(sb, "<table>\n<thead><tr><th>Environment</th><th>Production</th><th>Gates</th>"
                    "<th class=\"num\">Services</th><th>Argo CD sync</th></tr></thead>\n<tbody>\n");
        for (size_t i = 0; i < lm->environments.len; i++) {
            const struct environment *e = lm->environments.items[i];
            size_t n = 0;
            for (size_t s = 0; s < lm->services.len; s++) {
                const struct service *sv = lm->services.items[s];
                for (size_t k = 0; k < sv->envs.len; k++)
                    n += strcmp(((const struct svc_env *)sv->envs.items[k])->env, e->name) == 0;
            }
            sb_adds(sb, "<tr><td>");
            site_link_env(po, e->name);
            sb_addf(sb, "</td><td>%s</td><td>", e->production ? "yes" : "no");
            for (size_t g = 0; g < e->gates.len; g++) {
                sb_adds(sb, "<span class=\"tag\">");
                html_esc(sb, e->gates.items[g]);
                sb_adds(sb, "</span> ");
            }
            sb_addf(sb, "</td><td class=\"num\">%zu</td><td>%d automated, %d manual</td></tr>\n", n,
                    e->auto_sync, e->manual_sync);
        }
        sb_adds(sb, "</tbody>\n</table>\n");
    }
    site_frame_close(po);
}

static int overlays_has(const char *list, const char *env)
{
    size_t n = strlen(env);
    for (const char *p = list; p && *p;) {
        const char *c = strchr(p, ',');
        size_t l = c ? (size_t)(c - p) : strlen(p);
        while (l && *p == ' ')
            p++, l--;
        if (l == n && strncmp(p, env, n) == 0)
            return 1;
        p = c ? c + 1 : NULL;
    }
    return 0;
}

void site_page_env(struct page_out *po)
{
    const struct site *site = po->site;
    const struct environment *e = po->page->obj;
    const struct linked_model *lm = lm_of(site);
    struct strbuf *sb = po->sb;
    site_frame_open(po, e->name, e->production ? "Production environment" : "Environment");
    site_env_strip(po, e->name);
    const struct environment *prev = NULL, *next = NULL;
    for (size_t i = 0; i < lm->environments.len; i++)
        if (lm->environments.items[i] == e) {
            prev = i ? lm->environments.items[i - 1] : NULL;
            next = i + 1 < lm->environments.len ? lm->environments.items[i + 1] : NULL;
        }
    sb_adds(sb, "<h2 id=\"path\">How a change gets here</h2>\n<dl class=\"facts\">\n");
    sb_adds(sb, "<dt>Comes after</dt><dd>");
    if (prev)
        site_link_env(po, prev->name);
    else
        sb_adds(sb, "<span class=\"muted\">first environment</span>");
    sb_adds(sb, "</dd>\n<dt>Promotes to</dt><dd>");
    if (next)
        site_link_env(po, next->name);
    else
        sb_adds(sb, "<span class=\"muted\">last environment</span>");
    sb_adds(sb, "</dd>\n<dt>Gates</dt><dd>");
    for (size_t g = 0; g < e->gates.len; g++) {
        sb_adds(sb, "<span class=\"tag\">");
        html_esc(sb, e->gates.items[g]);
        sb_adds(sb, "</span> ");
    }
    if (!e->gates.len)
        sb_adds(sb, "<span class=\"pin no\">no approval gate</span>");
    sb_addf(sb, "</dd>\n<dt>Argo CD sync</dt><dd>%d automated, %d manual</dd>\n", e->auto_sync,
            e->manual_sync);
    if (e->aliases.len) {
        sb_adds(sb, "<dt>Also called</dt><dd>");
        for (size_t a = 0; a < e->aliases.len; a++) {
            sb_adds(sb, "<code>");
            html_esc(sb, e->aliases.items[a]);
            sb_adds(sb, "</code> ");
        }
        sb_adds(sb, "</dd>\n");
    }
    sb_adds(sb, "</dl>\n<h2 id=\"sources\">Defined by</h2>\n<ul>\n");
    for (size_t i = 0; i < e->sources.len; i++) {
        sb_adds(sb, "<li>");
        site_link_entity(po, e->sources.items[i]);
        sb_adds(sb, "</li>\n");
    }
    sb_adds(sb, "</ul>\n<h2 id=\"services\">What runs here</h2>\n");
    size_t n = 0;
    for (size_t s = 0; s < lm->services.len; s++) {
        const struct service *sv = lm->services.items[s];
        for (size_t k = 0; k < sv->envs.len; k++) {
            const struct svc_env *se = sv->envs.items[k];
            if (strcmp(se->env, e->name) != 0)
                continue;
            if (!n++)
                sb_adds(sb, "<table>\n<thead><tr><th>Service</th><th>Image</th><th>Overlay</th>"
                            "<th>Deployed by</th></tr></thead>\n<tbody>\n");
            sb_adds(sb, "<tr><td>");
            site_link_service(po, sv->name);
            sb_adds(sb, "</td><td>");
            for (size_t m = 0; m < se->nimages; m++) {
                sb_adds(sb, "<code>");
                html_esc(sb, se->images[m]);
                sb_adds(sb, "</code><br>");
            }
            sb_adds(sb, "</td><td>");
            if (se->overlay)
                site_link_unit(po, se->overlay, 0, se->overlay);
            sb_adds(sb, "</td><td>");
            if (se->deployed_by)
                site_link_entity(po, se->deployed_by);
            sb_adds(sb, "</td></tr>\n");
        }
    }
    if (n)
        sb_adds(sb, "</tbody>\n</table>\n");
    else
        sb_adds(sb, "<p class=\"empty\">No service is deployed here.</p>\n");
    struct vec found = VEC_INIT;
    for (size_t i = 0; i < site->scan->findings.v.len; i++) {
        const struct finding *f = site->scan->findings.v.items[i];
        int hit = f->overlays && overlays_has(f->overlays, e->name);
        for (size_t s = 0; !hit && s < e->sources.len; s++) {
            const char *src = e->sources.items[s];
            if (str_startswith(src, "overlay:") || str_startswith(src, "terraform:")) {
                char *dir = path_dirname(strchr(src, ':') + 1);
                const char *d = str_startswith(src, "terraform:") ? strchr(src, ':') + 1 : dir;
                hit = *d && path_has_prefix(f->path, d);
                free(dir);
            }
        }
        if (hit)
            vec_push(&found, (void *)f);
    }
    sb_addf(sb, "<h2 id=\"findings\">Findings here <span class=\"count\">%u</span></h2>\n",
            found.len);
    site_findings_table(po, &found, 1, 0);
    vec_release(&found);
    site_frame_close(po);
}

void site_entries_linked(struct site *site)
{
    const struct linked_model *lm = lm_of(site);
    if (!lm)
        return;
    for (size_t i = 0; i < lm->services.len; i++) {
        const struct service *s = lm->services.items[i];
        site_entry_add(site, "service", s->name, strmap_get(&site->svc_page, s->name), NULL,
                       s->workload.unit->file->path);
    }
    for (size_t i = 0; i < lm->environments.len; i++) {
        const struct environment *e = lm->environments.items[i];
        site_entry_add(site, "environment", e->name, strmap_get(&site->env_page, e->name), NULL,
                       e->production ? "production" : NULL);
    }
}
