/* The scan: discovery, then every file loaded and checked in parallel (one arena per file,
 * each file read once and its raw bytes given to text checks such as the secrets scanner
 * while it is mapped), then model-wide checks, then findings finalised: catalogue severity,
 * excerpts, fingerprints, order. */
#include "lint_int.h"

#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "secrets_int.h"
#include "model/kustomize.h"
#include "model/linked.h"
#include "discover/vcs.h"

struct scan_run {
    struct scan *s;
    const struct scan_opts *opts;
    const size_t *order;          /* the units' indices this pool run loads */
};

static int group_wants(const struct check_group *g, enum file_kind k)
{
    unsigned kinds = g->def->kinds;
    if (k == FK_BINARY)
        return 0;
    return kinds == 0 || (kinds & KIND(k));
}

/* Where each line of a file starts, found once per file however many excerpts it gives: a
 * file of 50,000 findings was read from the top for each one. */
struct line_index {
    const char *data;
    size_t len;
    size_t *start; /* start[i]: offset of line i + 1 */
    size_t n;
};

static void line_index_init(struct line_index *li, const char *data, size_t len)
{
    size_t cap = 64;
    li->data = data;
    li->len = len;
    li->start = xmalloc(cap * sizeof(*li->start));
    li->n = 0;
    li->start[li->n++] = 0;
    for (const char *p = data, *end = data + len; (p = memchr(p, '\n', (size_t)(end - p)));) {
        p++;
        if (li->n == cap) {
            cap *= 2;
            li->start = xrealloc(li->start, cap * sizeof(*li->start));
        }
        li->start[li->n++] = (size_t)(p - data);
    }
}

static void line_index_release(struct line_index *li)
{
    free(li->start);
    li->start = NULL;
}

/* The `line`th line (1-based), as [*start, *start + *n) without its line end. Returns 0 or
 * -1 when there is no such line. */
static int line_span(const struct line_index *li, int line, const char **start, size_t *n)
{
    if (line < 1 || (size_t)line > li->n)
        return -1;
    size_t a = li->start[line - 1];
    size_t b = (size_t)line < li->n ? li->start[line] - 1 : li->len;
    if (a > li->len || b < a)
        return -1;
    size_t l = b - a;
    if (l && li->data[a + l - 1] == '\r')
        l--;
    *start = li->data + a;
    *n = l;
    return 0;
}

/* A mask span of a secret on a line: 1-based column and byte length. */
struct span {
    int col, len;
};

static int span_cmp(const void *pa, const void *pb)
{
    const struct span *a = pa, *b = pb;
    return (a->col > b->col) - (a->col < b->col);
}

/* The line [s, s + n) as an excerpt: at most 400 bytes, every span (sorted by column)
 * masked, control bytes as '?'. Heap string. */
static char *excerpt_build(const char *s, size_t n, const struct span *spans, size_t nspans)
{
    if (n > 400)
        n = 400; /* a minified line is not an excerpt */
    struct strbuf sb = STRBUF_INIT;
    size_t pos = 0;
    for (size_t i = 0; i < nspans; i++) {
        if (spans[i].len <= 0 || spans[i].col <= 0)
            continue;
        size_t a = (size_t)spans[i].col - 1, b = a + (size_t)spans[i].len;
        if (a < pos)
            a = pos; /* overlapping spans */
        if (a >= n || b <= a)
            continue;
        if (b > n)
            b = n;
        sb_add(&sb, s + pos, a - pos);
        secret_mask(&sb, s + a, b - a);
        pos = b;
    }
    sb_add(&sb, s + pos, n - pos);
    /* Keep the excerpt printable: control bytes become '?'. */
    for (size_t i = 0; i < sb.len; i++)
        if ((unsigned char)sb.buf[i] < 0x20 && sb.buf[i] != '\t')
            sb.buf[i] = '?';
    /* Valid UTF-8 whatever the file's encoding, so JSON, SARIF and pages can carry it. */
    struct strbuf out = STRBUF_INIT;
    sb_add_utf8(&out, sb.buf ? sb.buf : "", sb.len);
    sb_release(&sb);
    return sb_detach(&out);
}

static void excerpt_fill(struct finding *f, const struct line_index *li, struct redact *secrets)
{
    const char *s;
    size_t n;
    if (f->excerpt || f->line <= 0 || line_span(li, f->line, &s, &n) != 0)
        return;
    struct span sp = {f->mask_col, f->mask_len};
    if (sp.col > 0 && sp.len > 0 && (size_t)sp.col - 1 < n) {
        size_t vn = (size_t)sp.len;
        if (vn > n - ((size_t)sp.col - 1))
            vn = n - ((size_t)sp.col - 1);
        redact_add(secrets, s + sp.col - 1, vn);
    }
    f->excerpt = excerpt_build(s, n, &sp, 1);
}

void lint_excerpts_fill(struct finding **fs, size_t n, const char *data, size_t len,
                        struct redact *secrets)
{
    size_t todo = 0;
    for (size_t i = 0; i < n; i++)
        todo += !fs[i]->excerpt && fs[i]->line > 0;
    if (!todo)
        return;
    struct line_index li;
    line_index_init(&li, data, len);
    for (size_t i = 0; i < n; i++)
        excerpt_fill(fs[i], &li, secrets);
    line_index_release(&li);
}

static void excerpts_fill(struct findings *fs, const char *data, size_t len,
                          struct redact *secrets)
{
    lint_excerpts_fill((struct finding **)fs->v.items, fs->v.len, data, len, secrets);
}

/* Phase 1, per file in parallel: read once, classify, parse, model, run text checks (the
 * secrets scanner) on the raw bytes, and fill excerpts while the bytes are at hand. A file
 * that one kustomization names (u->defer) keeps its bytes instead of being parsed: that
 * render parses it at link, for its model too (see kustomize_defer_mark). */
static void load_unit(void *ctxp, size_t i)
{
    struct scan_run *run = ctxp;
    struct scan *s = run->s;
    struct unit *u = s->model.units.items[run->order[i]];
    struct srcfile *file = u->file;
    struct filemap fm;
    struct errbuf err = {{0}, 0};

    u->arena = arena_new_packed();   /* lives until the end: no block tail per file */
    if (filemap_open(&fm, file->abspath, run->opts->max_file_size, &err) != 0) {
        findings_add(&u->diags, finding_new("file-skipped", SEV_WARNING, file->path, 0, 0,
                                            "file not scanned: %s", err.msg));
        u->defer = 0;
        return;
    }
    u->bytes = fm.len;
    u->kind = discover_classify_content(file->kind, file->path, file->named, fm.data, fm.len);
    if (u->kind == FK_BINARY || discover_is_opsbook_report(fm.data, fm.len)) {
        u->defer = 0;
        filemap_close(&fm);
        return;
    }
    u->defer = u->defer && (u->kind == FK_K8S || u->kind == FK_YAML);
    if (u->defer) {
        u->text = xmalloc(fm.len + 1);
        memcpy(u->text, fm.data, fm.len);
        u->text[fm.len] = '\0';
        u->text_len = fm.len;
    } else {
        model_unit_load(u, fm.data, fm.len);
    }
    lint_ignores_collect(u, fm.data, fm.len);
    u->loaded = 1;

    struct lint_ctx ctx = {.unit = u, .model = &s->model, .out = &u->found};
    for (size_t g = 0; g < s->cat.groups.len; g++) {
        const struct check_group *grp = s->cat.groups.items[g];
        if (!grp->def->on_text || !group_wants(grp, u->kind))
            continue;
        ctx.group = grp;
        grp->def->on_text(&ctx, fm.data, fm.len);
    }
    excerpts_fill(&u->diags, fm.data, fm.len, s->model.secrets);
    excerpts_fill(&u->found, fm.data, fm.len, s->model.secrets);
    filemap_close(&fm);
}

/* Phase 2, per file in parallel, after linking: checks over the file's typed entities. */
static void check_unit(void *ctxp, size_t i)
{
    struct scan_run *run = ctxp;
    struct scan *s = run->s;
    struct unit *u = s->model.units.items[i];
    if (!u->loaded)
        return;
    struct lint_ctx ctx = {.unit = u, .model = &s->model, .out = &u->found};
    for (size_t g = 0; g < s->cat.groups.len; g++) {
        const struct check_group *grp = s->cat.groups.items[g];
        if (!grp->def->on_unit || !group_wants(grp, u->kind))
            continue;
        ctx.group = grp;
        for (size_t r = 0; r < grp->rules.len; r++) {
            ctx.rule = grp->rules.items[r];
            grp->def->on_unit(&ctx);
        }
    }
    ctx.group = NULL;
    ctx.cat = &s->cat;
    lint_conditions_run(&ctx);
}

void lint_fingerprint(struct finding *f)
{
    struct strbuf sb = STRBUF_INIT;
    sb_adds(&sb, f->rule_id);
    sb_addc(&sb, '\0');
    sb_adds(&sb, f->path);
    sb_addc(&sb, '\0');
    if (f->entity)
        sb_adds(&sb, f->entity);
    sb_addc(&sb, '\0');
    /* The excerpt with white space folded: survives moved lines and re-indentation. */
    int space = 0;
    for (const char *p = f->excerpt ? f->excerpt : ""; *p; p++) {
        if (*p == ' ' || *p == '\t') {
            space = 1;
            continue;
        }
        if (space && sb.len && sb.buf[sb.len - 1] != '\0')
            sb_addc(&sb, ' ');
        space = 0;
        sb_addc(&sb, *p);
    }
    if (f->commit)
        sb_adds(&sb, f->commit);
    uint64_t h = hash_bytes(sb.buf, sb.len, 0x6f7073626f6f6bULL);
    snprintf(f->fingerprint, sizeof(f->fingerprint), "%016llx", (unsigned long long)h);
    sb_release(&sb);
}

/* Fills the excerpts still missing (findings of checks that ran after the file was closed),
 * opening each such file once. */
static void excerpts_late(struct scan *s, struct vec *late)
{
    struct strmap by_display = STRMAP_INIT;
    for (size_t j = 0; j < s->model.units.len; j++) {
        const struct unit *u = s->model.units.items[j];
        strmap_put(&by_display, u->file->display, (void *)u);
    }
    for (size_t i = 0; i < late->len;) {
        struct finding *f = late->items[i];
        if (f->excerpt || f->line <= 0) {
            i++;
            continue;
        }
        size_t k = i + 1;
        while (k < late->len &&
               strcmp(((struct finding *)late->items[k])->display, f->display) == 0)
            k++;
        const struct unit *u = strmap_get(&by_display, f->display);
        struct filemap fm;
        struct errbuf err = {{0}, 0};
        if (u && filemap_open(&fm, u->file->abspath, (size_t)-1, &err) == 0) {
            lint_excerpts_fill((struct finding **)late->items + i, k - i, fm.data, fm.len,
                               s->model.secrets);
            filemap_close(&fm);
        }
        i = k;
    }
    strmap_release(&by_display);
}

/* Loader and discovery findings are made before the catalogue is at hand: they take the
 * rule's severity (after configuration). */
static void severity_apply(const struct scan *s, struct findings *fs)
{
    for (size_t i = 0; i < fs->v.len; i++) {
        struct finding *f = fs->v.items[i];
        const struct rule *r = lint_rule_find(&s->cat, f->rule_id);
        if (r)
            f->severity = r->severity;
    }
}

/* A secret masked in one finding's excerpt must be masked in every excerpt of its line: a
 * finding of another rule, or a second secret, on that line would show it otherwise. Such
 * lines are read again and every finding on them gets the line with all spans masked.
 * `all` is sorted (path, line). */
static void excerpts_mask_shared(struct scan *s, struct vec *all)
{
    struct strmap by_display = STRMAP_INIT; /* made when a line first needs it: rarely */
    const char *open_display = NULL;        /* the file open in fm / li, if any */
    struct filemap fm = {0};
    struct line_index li = {0};
    for (size_t i = 0; i < all->len;) {
        const struct finding *f = all->items[i];
        size_t k = i + 1, masked = f->mask_len > 0;
        while (k < all->len && ((struct finding *)all->items[k])->line == f->line &&
               f->display && ((struct finding *)all->items[k])->display &&
               strcmp(((struct finding *)all->items[k])->display, f->display) == 0)
            masked += ((struct finding *)all->items[k++])->mask_len > 0;
        if (!masked || k - i < 2 || f->line <= 0 || !f->display) {
            i = k;
            continue;
        }
        if (!open_display || strcmp(open_display, f->display) != 0) {
            if (open_display) {
                line_index_release(&li);
                filemap_close(&fm);
                open_display = NULL;
            }
            if (!by_display.cap)
                for (size_t j = 0; j < s->model.units.len; j++) {
                    const struct unit *u = s->model.units.items[j];
                    strmap_put(&by_display, u->file->display, (void *)u);
                }
            const struct unit *u = strmap_get(&by_display, f->display);
            struct errbuf err = {{0}, 0};
            if (u && filemap_open(&fm, u->file->abspath, (size_t)-1, &err) == 0) {
                line_index_init(&li, fm.data, fm.len);
                open_display = f->display;
            }
        }
        if (open_display) {
            struct span *spans = xcalloc(k - i, sizeof(*spans));
            size_t n = 0;
            for (size_t j = i; j < k; j++) {
                const struct finding *g = all->items[j];
                if (g->mask_len > 0)
                    spans[n++] = (struct span){g->mask_col, g->mask_len};
            }
            qsort(spans, n, sizeof(*spans), span_cmp);
            const char *line;
            size_t len;
            if (line_span(&li, f->line, &line, &len) == 0) {
                for (size_t j = i; j < k; j++) {
                    struct finding *g = all->items[j];
                    free(g->excerpt);
                    g->excerpt = excerpt_build(line, len, spans, n);
                }
            }
            free(spans);
        }
        i = k;
    }
    if (open_display) {
        line_index_release(&li);
        filemap_close(&fm);
    }
    strmap_release(&by_display);
}

/* One finding per problem and place, the strongest: a rule whose params say `yields-to:
 * CATEGORY` is not reported on a line where a rule of that category reports as strongly or
 * more (a literal password in HCL is a secrets finding, not also a Terraform one); where the
 * yielding rule is the stronger (a Dockerfile ENV secret, an error, beside a generic token
 * warning), the weaker findings of that category on the line go instead, so an error gate
 * still sees the error. Findings are sorted by path and line. */
static const char *yields_to(const struct scan *s, const struct finding *f)
{
    const struct rule *r = lint_rule_find(&s->cat, f->rule_id);
    return r ? lint_param_str(r, "yields-to", NULL) : NULL;
}

static int in_category(const struct scan *s, const struct finding *f, const char *category)
{
    const struct rule *r = lint_rule_find(&s->cat, f->rule_id);
    return r && strcmp(r->category, category) == 0 && !lint_param_str(r, "yields-to", NULL);
}

static void drop_yielding(struct scan *s)
{
    struct vec *v = &s->findings.v;
    size_t out = 0;
    for (size_t a = 0; a < v->len;) {
        /* [a, b): the findings on one line of one file. */
        const struct finding *first = v->items[a];
        size_t b = a + 1;
        while (b < v->len && ((struct finding *)v->items[b])->line == first->line &&
               strcmp(((struct finding *)v->items[b])->path, first->path) == 0)
            b++;
        unsigned char drop[64] = {0}; /* lines with more findings than this are left alone */
        for (size_t i = a; b - a <= sizeof(drop) && i < b; i++) {
            const struct finding *f = v->items[i];
            const char *cat = yields_to(s, f);
            if (!cat)
                continue;
            enum severity strongest = SEV_NONE;
            for (size_t j = a; j < b; j++)
                if (j != i && in_category(s, v->items[j], cat) &&
                    ((struct finding *)v->items[j])->severity > strongest)
                    strongest = ((struct finding *)v->items[j])->severity;
            if (strongest == SEV_NONE)
                continue;
            if (strongest >= f->severity) {
                drop[i - a] = 1;
                continue;
            }
            for (size_t j = a; j < b; j++)
                if (j != i && in_category(s, v->items[j], cat))
                    drop[j - a] = 1;
        }
        for (size_t i = a; i < b; i++) {
            if (b - a <= sizeof(drop) && drop[i - a])
                finding_free(v->items[i]);
            else
                v->items[out++] = v->items[i];
        }
        a = b;
    }
    v->len = out;
}

/* The display path of the findings of a file that do not have one. */
static void displays_fill(struct findings *fs, const char *display)
{
    for (size_t j = 0; j < fs->v.len; j++) {
        struct finding *f = fs->v.items[j];
        if (!f->display)
            f->display = finding_intern(display);
    }
}

static void finalise(struct scan *s, struct findings *model_found, const struct scan_opts *o)
{
    struct findings all = {VEC_INIT};
    severity_apply(s, &s->model.diags);
    findings_take(&all, &s->model.diags);
    for (size_t i = 0; i < s->model.units.len; i++) {
        struct unit *u = s->model.units.items[i];
        displays_fill(&u->diags, u->file->display);
        displays_fill(&u->found, u->file->display);
        severity_apply(s, &u->diags);
        findings_take(&all, &u->diags);
        findings_take(&all, &u->found);
    }
    for (size_t j = 0; j < model_found->v.len; j++) {
        struct finding *f = model_found->v.items[j];
        if (!f->display)
            f->display = f->path;
    }
    findings_take(&all, model_found);
    findings_sort(&all);
    excerpts_late(s, &all.v);
    lint_ignores_apply(s, &all, o->no_ignores);
    /* A repository's own secret-scanner allowlist; with several roots, whose paths would mix,
     * it is left to each root's own scan. */
    if (o->npaths <= 1)
        lint_allowlists_apply(s, &all, o->npaths ? o->paths[0] : ".", o->no_ignores);
    findings_sort(&all);
    excerpts_mask_shared(s, &all.v);

    for (size_t i = 0; i < all.v.len; i++) {
        struct finding *f = all.v.items[i];
        const struct rule *r = lint_rule_find(&s->cat, f->rule_id);
        if (r && !r->enabled) {
            finding_free(f);
            continue;
        }
        /* A secret in test data (a fixture, a _test.go file) is a note: real enough to
         * show, not a leak to stop a merge for; --test-secrets keeps the rule's severity. */
        if (!o->test_secrets && r && strcmp(r->category, "secrets") == 0 &&
            secrets_path_is_test(f->path)) {
            char *m = xasprintf("%s (in test data)", f->message);
            free(f->message);
            f->message = m;
            f->severity = SEV_NOTE;
        }
        /* Every secret any check found, wherever it stands in what a finding says: a
         * message quoting a name, an entity, another secret's line, a suppression reason. */
        const struct redact *rd = s->model.secrets;
        redact_str(rd, f->message);
        redact_str(rd, f->entity);
        redact_str(rd, f->excerpt);
        redact_str(rd, f->suppressed);
        redact_str(rd, f->overlays);
        redact_str(rd, f->author);
        /* Check findings keep the severity their check gave them: the rule's, or one step
         * up or down for the case at hand (lint_finding_escalate, or set directly). */
        if (!f->display)
            f->display = f->path;
        lint_fingerprint(f);
        findings_add(&s->findings, f);
    }
    vec_release(&all.v);
    findings_sort(&s->findings);
    lint_findings_merge_overlays(&s->findings);
    drop_yielding(s);
}

int lint_catalogue_setup(struct catalogue *out, const struct scan_opts *o, struct errbuf *err)
{
    struct vec dirs = VEC_INIT;
    for (size_t i = 0; i < o->npolicy_dirs; i++)
        vec_push(&dirs, (void *)o->policy_dirs[i]);
    for (size_t i = 0; o->config && i < o->config->policies.len; i++)
        vec_push(&dirs, o->config->policies.items[i]);
    int rc = lint_catalogue_load(out, (const char *const *)dirs.items, dirs.len, err);
    vec_release(&dirs);
    if (rc == 0 && o->config)
        rc = config_rules_apply(o->config, out, err);
    if (rc == 0)
        rc = lint_catalogue_bind(out, err);
    if (rc == 0)
        rc = lint_conditions_prepare(out, err);
    return rc;
}

/* Drops the files the config's include/exclude globs leave out (named files stay). */
static void files_select(struct vec *files, const struct config *c)
{
    if (!c || (!c->include.len && !c->exclude.len))
        return;
    struct vec drop = VEC_INIT;
    size_t k = 0;
    for (size_t i = 0; i < files->len; i++) {
        struct srcfile *f = files->items[i];
        if (f->named || config_path_selected(c, f->path))
            files->items[k++] = f;
        else
            vec_push(&drop, f);
    }
    files->len = k;
    discover_files_free(&drop);
}

/* --diff: keeps only the findings on lines added or changed since the revision. */
static int diff_filter(struct scan *s, const struct scan_opts *o, struct errbuf *err)
{
    struct vcs_changes ch;
    const char *dir = o->npaths ? o->paths[0] : ".";
    if (vcs_changes_load(&ch, dir, o->diff_ref, err) != 0) {
        vcs_changes_release(&ch);
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < s->findings.v.len; i++) {
        struct finding *f = s->findings.v.items[i];
        if (vcs_changes_has(&ch, f->path, f->line))
            s->findings.v.items[k++] = f;
        else
            finding_free(f);
    }
    s->findings.v.len = k;
    vcs_changes_release(&ch);
    return 0;
}

/* Discovery, then every file loaded and checked in parallel, then the model-wide checks,
 * whose findings go to model_found. Returns 0, or -1 with err set. */
const char *const scan_phase_names[SCAN_PHASES] = {
    "discover", "load", "link", "check files", "overlays", "check model", "finalise",
};

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Hands the heap's free pages back to the system after loading. Each worker thread parsed
 * in a heap of its own (a large .tf file's parse takes tens of MB), and the phases after
 * loading run on the main thread, which never reuses those heaps: without this they stay
 * resident to the end. */
static void heap_trim(void)
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

/* Resident bytes of the process now (0 where /proc is missing). */
static size_t rss_now(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages = 0, resident = 0;
    if (!f)
        return 0;
    if (fscanf(f, "%lu %lu", &pages, &resident) != 2)
        resident = 0;
    fclose(f);
    return (size_t)resident * (size_t)sysconf(_SC_PAGESIZE);
}

/* Adds the time since *mark to phase `i` and moves the mark. */
static void phase_end(struct scan *s, int i, double *mark)
{
    double t = now();
    s->stats.phase[i] += t - *mark;
    *mark = t;
    s->stats.phase_rss[i] = rss_now();
    size_t reads = filemap_opened();
    s->stats.phase_reads[i] += reads - s->stats.reads_seen;
    s->stats.reads_seen = reads;
}

/* Keeps the five slowest whole-model checks for --stats. */
static void slow_note(struct scan_stats *st, const char *rule, double seconds)
{
    size_t n = ARRAY_LEN(st->slow), at = n;
    for (size_t i = 0; i < n && at == n; i++)
        if (!st->slow[i].rule || seconds > st->slow[i].seconds)
            at = i;
    if (at == n)
        return;
    memmove(&st->slow[at + 1], &st->slow[at], (n - at - 1) * sizeof(st->slow[0]));
    st->slow[at].rule = rule;
    st->slow[at].seconds = seconds;
}

/* Loads every unit on the pool: the kustomizations first, so that the files they name can
 * wait for their render to be parsed (kustomize_defer_mark), then the rest. */
static void load_all(struct scan *s, const struct scan_opts *o)
{
    size_t n = s->model.units.len, nk = 0;
    size_t *order = xmalloc((n + 1) * sizeof(*order));
    for (size_t i = 0; i < n; i++)
        if (((struct unit *)s->model.units.items[i])->file->kind == FK_KUSTOMIZATION)
            order[nk++] = i;
    size_t at = nk;
    for (size_t i = 0; i < n; i++)
        if (((struct unit *)s->model.units.items[i])->file->kind != FK_KUSTOMIZATION)
            order[at++] = i;
    struct scan_run run = {s, o, order};
    pool_run(nk, load_unit, &run, o->threads);
    kustomize_defer_mark(&s->model);
    run.order = order + nk;
    pool_run(n - nk, load_unit, &run, o->threads);
    free(order);
}

static int scan_tree(struct scan *out, const struct scan_opts *o, struct findings *model_found,
                     struct errbuf *err)
{
    double mark = now();
    out->stats.reads_seen = filemap_opened();
    if (discover_walk(&out->model.files, o->paths, o->npaths, &o->discover, &out->model.diags,
                      err) != 0)
        return -1;
    files_select(&out->model.files, o->config);
    for (size_t i = 0; i < out->model.files.len; i++) {
        struct unit *u = xcalloc(1, sizeof(*u));
        u->file = out->model.files.items[i];
        vec_push(&out->model.units, u);
    }

    phase_end(out, 0, &mark);
    /* Whatever the main thread adds to a file's model from here on (link steps, checks)
     * shares blocks too, rather than opening a block of its own in each file's arena. */
    arena_thread_pack(1);
    load_all(out, o);
    heap_trim();
    phase_end(out, 1, &mark);
    model_link(&out->model, o->threads);
    for (size_t i = 0; i < out->model.units.len; i++) {
        struct unit *u = out->model.units.items[i];
        for (size_t j = 0; j < u->secret_values.len; j++) {
            const char *v = u->secret_values.items[j];
            redact_add(out->model.secrets, v, strlen(v));
        }
        if (u->text) {   /* a deferred file's parse diagnostics came at link */
            excerpts_fill(&u->diags, u->text, u->text_len, out->model.secrets);
            free(u->text);
            u->text = NULL;
        }
    }
    phase_end(out, 2, &mark);
    for (size_t i = 0; i < out->model.units.len; i++) {
        const struct unit *u = out->model.units.items[i];
        if (u->arena)
            out->stats.model_bytes[u->kind] += arena_used(u->arena);
    }
    if (out->model.linked)
        out->stats.linked_bytes = arena_used(out->model.linked->arena);
    struct scan_run run = {out, o, NULL};
    pool_run(out->model.units.len, check_unit, &run, o->threads);
    phase_end(out, 3, &mark);
    lint_overlays_judge(&out->cat, &out->model);
    phase_end(out, 4, &mark);

    struct lint_ctx ctx = {.model = &out->model, .out = model_found};
    for (size_t g = 0; g < out->cat.groups.len; g++) {
        const struct check_group *grp = out->cat.groups.items[g];
        if (!grp->def->on_model)
            continue;
        ctx.group = grp;
        for (size_t r = 0; r < grp->rules.len; r++) {
            ctx.rule = grp->rules.items[r];
            double t = now();
            grp->def->on_model(&ctx);
            slow_note(&out->stats, ctx.rule->id, now() - t);
        }
    }
    arena_thread_pack(0);
    phase_end(out, 5, &mark);
    return 0;
}

int lint_scan_run(struct scan *out, const struct scan_opts *opts, struct errbuf *err)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    memset(out, 0, sizeof(*out));
    out->model.secrets = redact_new();
    struct scan_opts o = *opts;
    if (!o.max_file_size)
        o.max_file_size = 64u << 20;
    if (o.config)
        for (size_t i = 0; i < o.config->production.len; i++)
            vec_push(&out->model.production, o.config->production.items[i]);
    if (o.catalogue) {
        out->cat = *o.catalogue;
        out->cat_borrowed = 1;
    } else if (lint_catalogue_setup(&out->cat, &o, err) != 0) {
        return -1;
    }
    struct findings model_found = {VEC_INIT};
    int rc = o.history ? lint_history_scan(out, &o, &model_found, err)
                       : scan_tree(out, &o, &model_found, err);
    if (rc != 0) {
        findings_release(&model_found);
        return -1;
    }
    double mark = now();
    finalise(out, &model_found, &o);
    findings_release(&model_found);
    phase_end(out, 6, &mark);
    if (o.baseline && !o.no_ignores && lint_baseline_apply(out, o.baseline, err) != 0)
        return -1;
    if (o.diff_ref && diff_filter(out, &o, err) != 0)
        return -1;

    struct scan_stats *st = &out->stats;
    st->files = out->model.units.len;
    for (size_t i = 0; i < out->model.units.len; i++) {
        const struct unit *u = out->model.units.items[i];
        st->bytes += u->bytes;
        st->by_kind[u->kind]++;
        if (u->kind == FK_BINARY)
            st->skipped_binary++;
        else if (u->loaded)
            st->files_scanned++;
    }
    for (size_t i = 0; i < out->findings.v.len; i++)
        if (((struct finding *)out->findings.v.items[i])->suppressed)
            st->suppressed++;
    if (o.history)
        st->files_scanned = st->blobs;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    st->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    return 0;
}

void lint_scan_release(struct scan *s)
{
    findings_release(&s->findings);
    model_release(&s->model);
    if (!s->cat_borrowed)
        lint_catalogue_release(&s->cat);
}

int lint_scan_failed(const struct scan *s, enum severity fail_on)
{
    if (fail_on == SEV_NONE)
        return 0;
    for (size_t i = 0; i < s->findings.v.len; i++) {
        const struct finding *f = s->findings.v.items[i];
        if (!f->suppressed && f->severity >= fail_on)
            return 1;
    }
    return 0;
}

static struct finding *report_v(struct lint_ctx *ctx, const struct rule *rule,
                                const struct unit *u, int line, int col, const char *entity,
                                const char *fmt, va_list ap)
{
    struct strbuf sb = STRBUF_INIT;
    sb_vaddf(&sb, fmt, ap);
    struct finding *f = finding_new(rule->id, rule->severity, u ? u->file->path : "", line, col,
                                    "%s", sb_str(&sb));
    sb_release(&sb);
    if (u)
        f->display = finding_intern(u->file->display);
    if (entity)
        f->entity = xstrdup(entity);
    findings_add(ctx->out, f);
    return f;
}

struct finding *lint_report(struct lint_ctx *ctx, int line, int col, const char *entity,
                            const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct finding *f = report_v(ctx, ctx->rule, ctx->unit, line, col, entity, fmt, ap);
    va_end(ap);
    return f;
}

struct finding *lint_report_rule(struct lint_ctx *ctx, const struct rule *rule, int line,
                                 int col, const char *entity, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct finding *f = report_v(ctx, rule, ctx->unit, line, col, entity, fmt, ap);
    va_end(ap);
    return f;
}

void lint_finding_escalate(struct finding *f)
{
    if (f->severity < SEV_ERROR)
        f->severity = (enum severity)(f->severity + 1);
}

struct finding *lint_report_at(struct lint_ctx *ctx, const struct unit *u, int line, int col,
                               const char *entity, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct finding *f = report_v(ctx, ctx->rule, u, line, col, entity, fmt, ap);
    va_end(ap);
    return f;
}

void lint_scan_stats_print(FILE *out, const struct scan *s)
{
    const struct scan_stats *st = &s->stats;
    fprintf(out, "opsbook: %zu files, %.1f MB in %.3f s\n", st->files_scanned,
            (double)st->bytes / 1e6, st->seconds);
    for (int i = 0; i < SCAN_PHASES; i++) {
        fprintf(out, "  %-12s %8.3f s  %7.1f MB resident after", scan_phase_names[i],
                st->phase[i], (double)st->phase_rss[i] / 1e6);
        if (st->phase_reads[i])
            fprintf(out, "  %zu files read", st->phase_reads[i]);
        fputc('\n', out);
    }
    for (int k = 0; k < FK__COUNT; k++)
        if (st->model_bytes[k])
            fprintf(out, "  model memory %-16s %7.1f MB\n", file_kind_name((enum file_kind)k),
                    (double)st->model_bytes[k] / 1e6);
    if (st->linked_bytes)
        fprintf(out, "  model memory %-16s %7.1f MB\n", "linked",
                (double)st->linked_bytes / 1e6);
    for (size_t i = 0; i < ARRAY_LEN(st->slow) && st->slow[i].rule; i++)
        fprintf(out, "  model check %-40s %8.3f s\n", st->slow[i].rule, st->slow[i].seconds);
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        fprintf(out, "  peak memory  %8.1f MB; cpu %.3f s user, %.3f s system\n",
                (double)ru.ru_maxrss * 1024.0 / 1e6,
                (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
                (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6);
}
