/* The scan: discovery, then every file loaded and checked in parallel (one arena per file,
 * each file read once and its raw bytes given to text checks such as the secrets scanner
 * while it is mapped), then model-wide checks, then findings finalised: catalogue severity,
 * excerpts, fingerprints, order. */
#include "lint.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

struct scan_run {
    struct scan *s;
    const struct scan_opts *opts;
};

static int group_wants(const struct check_group *g, enum file_kind k)
{
    unsigned kinds = g->def->kinds;
    if (k == FK_BINARY)
        return 0;
    return kinds == 0 || (kinds & KIND(k));
}

/* The `line`th line (1-based) of data, as [*start, *start + *n). Returns 0 or -1. */
static int line_span(const char *data, size_t len, int line, const char **start, size_t *n)
{
    const char *p = data, *end = data + len;
    for (int l = 1; l < line; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return -1;
        p = nl + 1;
    }
    if (p > end)
        return -1;
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
    if (l && p[l - 1] == '\r')
        l--;
    *start = p;
    *n = l;
    return 0;
}

static void excerpt_fill(struct finding *f, const char *data, size_t len)
{
    const char *s;
    size_t n;
    if (f->excerpt || f->line <= 0 || line_span(data, len, f->line, &s, &n) != 0)
        return;
    if (n > 400)
        n = 400; /* a minified line is not an excerpt */
    struct strbuf sb = STRBUF_INIT;
    if (f->mask_len > 0 && f->mask_col > 0 && (size_t)f->mask_col - 1 < n) {
        size_t a = (size_t)f->mask_col - 1;
        size_t b = a + (size_t)f->mask_len;
        if (b > n)
            b = n;
        sb_add(&sb, s, a);
        secret_mask(&sb, s + a, b - a);
        sb_add(&sb, s + b, n - b);
    } else {
        sb_add(&sb, s, n);
    }
    /* Keep the excerpt printable: control bytes become '?'. */
    for (size_t i = 0; i < sb.len; i++)
        if ((unsigned char)sb.buf[i] < 0x20 && sb.buf[i] != '\t')
            sb.buf[i] = '?';
    f->excerpt = sb_detach(&sb);
}

static void excerpts_fill(struct findings *fs, const char *data, size_t len)
{
    for (size_t i = 0; i < fs->v.len; i++)
        excerpt_fill(fs->v.items[i], data, len);
}

/* Phase 1, per file in parallel: read once, classify, parse, model, run text checks (the
 * secrets scanner) on the raw bytes, and fill excerpts while the bytes are mapped. */
static void load_unit(void *ctxp, size_t i)
{
    struct scan_run *run = ctxp;
    struct scan *s = run->s;
    struct unit *u = s->model.units.items[i];
    struct srcfile *file = u->file;
    struct filemap fm;
    struct errbuf err = {{0}, 0};

    u->arena = arena_new();
    if (filemap_open(&fm, file->abspath, run->opts->max_file_size, &err) != 0) {
        findings_add(&u->diags, finding_new("file-skipped", SEV_WARNING, file->path, 0, 0,
                                            "file not scanned: %s", err.msg));
        return;
    }
    u->bytes = fm.len;
    u->kind = discover_classify_content(file->kind, file->path, file->named, fm.data, fm.len);
    if (u->kind == FK_BINARY) {
        filemap_close(&fm);
        return;
    }
    model_unit_load(u, fm.data, fm.len);
    u->loaded = 1;

    struct lint_ctx ctx = {.unit = u, .model = &s->model, .out = &u->found};
    for (size_t g = 0; g < s->cat.groups.len; g++) {
        const struct check_group *grp = s->cat.groups.items[g];
        if (!grp->def->on_text || !group_wants(grp, u->kind))
            continue;
        ctx.group = grp;
        grp->def->on_text(&ctx, fm.data, fm.len);
    }
    excerpts_fill(&u->diags, fm.data, fm.len);
    excerpts_fill(&u->found, fm.data, fm.len);
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
}

static void fingerprint(struct finding *f)
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
            for (size_t j = i; j < k; j++)
                excerpt_fill(late->items[j], fm.data, fm.len);
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

static void finalise(struct scan *s, struct findings *model_found)
{
    struct findings all = {VEC_INIT};
    severity_apply(s, &s->model.diags);
    findings_take(&all, &s->model.diags);
    for (size_t i = 0; i < s->model.units.len; i++) {
        struct unit *u = s->model.units.items[i];
        for (size_t j = 0; j < u->diags.v.len; j++)
            if (!((struct finding *)u->diags.v.items[j])->display)
                ((struct finding *)u->diags.v.items[j])->display = xstrdup(u->file->display);
        for (size_t j = 0; j < u->found.v.len; j++)
            if (!((struct finding *)u->found.v.items[j])->display)
                ((struct finding *)u->found.v.items[j])->display = xstrdup(u->file->display);
        severity_apply(s, &u->diags);
        findings_take(&all, &u->diags);
        findings_take(&all, &u->found);
    }
    for (size_t j = 0; j < model_found->v.len; j++) {
        struct finding *f = model_found->v.items[j];
        if (!f->display)
            f->display = xstrdup(f->path);
    }
    findings_take(&all, model_found);
    findings_sort(&all);
    excerpts_late(s, &all.v);

    for (size_t i = 0; i < all.v.len; i++) {
        struct finding *f = all.v.items[i];
        const struct rule *r = lint_rule_find(&s->cat, f->rule_id);
        if (r && !r->enabled) {
            finding_free(f);
            continue;
        }
        /* Check findings keep the severity their check gave them: the rule's, or one step
         * up or down for the case at hand (lint_finding_escalate, or set directly). */
        if (!f->display)
            f->display = xstrdup(f->path);
        fingerprint(f);
        findings_add(&s->findings, f);
    }
    vec_release(&all.v);
    findings_sort(&s->findings);
    lint_findings_merge_overlays(&s->findings);
}

int lint_scan_run(struct scan *out, const struct scan_opts *opts, struct errbuf *err)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    memset(out, 0, sizeof(*out));
    struct scan_opts o = *opts;
    if (!o.max_file_size)
        o.max_file_size = 64u << 20;
    if (lint_catalogue_load(&out->cat, NULL, 0, err) != 0 ||
        lint_catalogue_bind(&out->cat, err) != 0)
        return -1;
    if (discover_walk(&out->model.files, o.paths, o.npaths, &o.discover, &out->model.diags,
                      err) != 0)
        return -1;
    for (size_t i = 0; i < out->model.files.len; i++) {
        struct unit *u = xcalloc(1, sizeof(*u));
        u->file = out->model.files.items[i];
        vec_push(&out->model.units, u);
    }

    struct scan_run run = {out, &o};
    pool_run(out->model.units.len, load_unit, &run, o.threads);
    model_link(&out->model);
    pool_run(out->model.units.len, check_unit, &run, o.threads);
    lint_overlays_judge(&out->cat, &out->model);

    struct findings model_found = {VEC_INIT};
    struct lint_ctx ctx = {.model = &out->model, .out = &model_found};
    for (size_t g = 0; g < out->cat.groups.len; g++) {
        const struct check_group *grp = out->cat.groups.items[g];
        if (!grp->def->on_model)
            continue;
        ctx.group = grp;
        for (size_t r = 0; r < grp->rules.len; r++) {
            ctx.rule = grp->rules.items[r];
            grp->def->on_model(&ctx);
        }
    }
    finalise(out, &model_found);
    findings_release(&model_found);

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
    clock_gettime(CLOCK_MONOTONIC, &t1);
    st->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    return 0;
}

void lint_scan_release(struct scan *s)
{
    findings_release(&s->findings);
    model_release(&s->model);
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
        f->display = xstrdup(u->file->display);
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
