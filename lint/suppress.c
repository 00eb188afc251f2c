/* Suppressions, most local first: `opsbook:ignore RULE-ID reason` in a comment (#, //, <!-- -->)
 * on the finding's line or alone on the line above it; a Kubernetes object's
 * `opsbook.io/ignore: "RULE-ID reason"` annotation; a baseline file of fingerprints. An ignore
 * without a reason suppresses nothing and is itself a finding, as is one that matched nothing. */
#include "lint_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char marker[] = "opsbook:ignore";
static const char annotation[] = "opsbook.io/ignore";

static int id_char(char c)
{
    return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.';
}

/* Parses "RULE-ID reason" (from after the marker, or an annotation entry) into `ig`. */
static void entry_parse(struct inline_ignore *ig, struct arena *a, const char *p, const char *end)
{
    /* Without a closing comment marker and trailing blanks. */
    while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        end--;
    if (end - p >= 3 && memcmp(end - 3, "-->", 3) == 0)
        end -= 3;
    else if (end - p >= 2 && memcmp(end - 2, "*/", 2) == 0)
        end -= 2;
    while (p < end && (*p == ' ' || *p == '\t' || *p == ':'))
        p++;
    const char *id = p;
    if (p < end && isalnum((unsigned char)*p))
        while (p < end && id_char(*p))
            p++;
    ig->rule_id = arena_strndup(a, id, (size_t)(p - id));
    /* The reason: what follows, without separators and surrounding blanks. */
    while (p < end && (*p == ' ' || *p == '\t' || *p == '-' || *p == ':'))
        p++;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    ig->reason = end > p ? arena_strndup(a, p, (size_t)(end - p)) : NULL;
}

/* Where the comment holding the marker at `m` starts on [line, m), or NULL when the marker
 * is not in a comment. */
static const char *comment_start(const char *line, const char *m)
{
    const char *p = m;
    while (p > line && (p[-1] == ' ' || p[-1] == '\t'))
        p--;
    if (p - line >= 4 && memcmp(p - 4, "<!--", 4) == 0)
        return p - 4;
    if (p - line >= 2 && (memcmp(p - 2, "//", 2) == 0 || memcmp(p - 2, "/*", 2) == 0))
        return p - 2;
    if (p - line >= 1 && p[-1] == '#')
        return p - 1;
    return NULL;
}

static int blank(const char *p, const char *end)
{
    for (; p < end; p++)
        if (*p != ' ' && *p != '\t')
            return 0;
    return 1;
}

/* The inline markers with which other secret scanners' users say a value on the line is not
 * a secret (a sample in a test, a documented example key). opsbook honours them for its
 * secret-* rules, as suppressions with the marker as reason (--no-ignores shows them), and
 * zizmor's `ignore[audit]` comments for the rules that report what those audits do. */
static const char *const foreign_markers[] = {
    "gitleaks:allow", "pragma: allowlist secret", "trufflehog:ignore", NULL,
};

/* zizmor's audits and the rules of ours that report the same thing: a line marked
 * `# zizmor: ignore[audit]` suppresses those rules there. */
static const struct {
    const char *audit, *rule;
} zizmor_audits[] = {
    {"template-injection", "gha-script-injection"},
    {"dangerous-triggers", "gha-dangerous-trigger"},
    {"bot-conditions", "gha-spoofable-bot-check"},
    {"artipacked", "gha-checkout-persist-credentials"},
    {"github-env", "gha-github-env-write-privileged"},
    {"insecure-commands", "gha-insecure-commands"},
    {"hardcoded-container-credentials", "gha-hardcoded-container-credentials"},
    {"unpinned-uses", "gha-action-not-pinned-to-sha"},
    {"unpinned-images", "gha-container-image-unpinned"},
    {"overprovisioned-secrets", "gha-whole-secrets-context"},
    {"excessive-permissions", "gha-write-all-permissions"},
    {"excessive-permissions", "gha-default-permissions"},
};

static void ignore_add(struct unit *u, int line, const char *rule, const char *reason)
{
    struct inline_ignore *ig = arena_alloc(u->arena, sizeof(*ig));
    ig->line = ig->first = ig->last = line;
    ig->col = 1;
    ig->rule_id = rule;
    ig->reason = reason;
    ig->foreign = 1;
    vec_push(&u->ignores, ig);
}

/* `zizmor: ignore[a, b]` on the line [p, le): each audit's rules of ours. */
static void zizmor_collect(struct unit *u, const char *p, const char *le, int line)
{
    static const char zmark[] = "zizmor: ignore[";
    const char *m = memmem(p, (size_t)(le - p), zmark, sizeof(zmark) - 1);
    if (!m)
        return;
    const char *a = m + sizeof(zmark) - 1;
    const char *end = memchr(a, ']', (size_t)(le - a));
    while (end && a < end) {
        while (a < end && (*a == ' ' || *a == ','))
            a++;
        const char *b = a;
        while (b < end && *b != ',' && *b != ' ')
            b++;
        for (size_t i = 0; i < ARRAY_LEN(zizmor_audits); i++)
            if (strlen(zizmor_audits[i].audit) == (size_t)(b - a) &&
                !memcmp(zizmor_audits[i].audit, a, (size_t)(b - a)))
                ignore_add(u, line, zizmor_audits[i].rule,
                           arena_sprintf(u->arena, "marked 'zizmor: ignore[%s]' in the source",
                                         zizmor_audits[i].audit));
        a = b;
    }
}

static void foreign_collect(struct unit *u, const char *data, size_t len)
{
    int any = memmem(data, len, "zizmor: ignore[", 15) != NULL, zizmor = any;
    for (const char *const *m = foreign_markers; *m && !any; m++)
        any = memmem(data, len, *m, strlen(*m)) != NULL;
    if (!any)
        return;
    const char *p = data, *end = data + len;
    for (int line = 1; p < end; line++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        if (zizmor)
            zizmor_collect(u, p, le, line);
        for (const char *const *m = foreign_markers; *m; m++) {
            if (!memmem(p, (size_t)(le - p), *m, strlen(*m)))
                continue;
            ignore_add(u, line, "secret-*",
                       arena_sprintf(u->arena, "marked '%s' in the source", *m));
            break;
        }
        p = le + 1;
    }
}

static void comments_collect(struct unit *u, const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    int line = 1;
    struct vec alone = VEC_INIT; /* own-line ignores waiting for the line they cover */
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *m = memmem(p, (size_t)(le - p), marker, sizeof(marker) - 1);
        const char *cs = m ? comment_start(p, m) : NULL;
        if (cs) {
            struct inline_ignore *ig = arena_alloc(u->arena, sizeof(*ig));
            ig->line = line;
            ig->col = (int)(cs - p) + 1;
            size_t tl = (size_t)(le - p) > 300 ? 300 : (size_t)(le - p);
            ig->text = arena_strndup(u->arena, p, tl);
            entry_parse(ig, u->arena, m + sizeof(marker) - 1, le);
            if (blank(p, cs)) {
                vec_push(&alone, ig);
            } else {
                ig->first = ig->last = line;
            }
            vec_push(&u->ignores, ig);
        } else if (alone.len && !blank(p, le)) {
            /* The first line with content after a run of own-line ignores. */
            for (size_t i = 0; i < alone.len; i++) {
                struct inline_ignore *ig = alone.items[i];
                ig->first = ig->last = line;
            }
            alone.len = 0;
        }
        line++;
        p = le + 1;
    }
    for (size_t i = 0; i < alone.len; i++) {
        struct inline_ignore *ig = alone.items[i];
        ig->first = ig->last = ig->line; /* nothing below: covers only itself */
    }
    vec_release(&alone);
}

/* Kubernetes manifests: the annotation covers every line of its object's document. */
static void annotations_collect(struct unit *u, const char *data, size_t len)
{
    struct arena *tmp = arena_new();
    struct findings diags = {VEC_INIT};
    struct yfile yf;
    yml_parse(&yf, tmp, u->file->path, data, len, &diags, NULL);
    for (size_t d = 0; d < yf.ndocs; d++) {
        const struct ynode *root = yf.docs[d].root;
        const struct ynode *anns = yml_path(root, "metadata.annotations");
        const struct ypair *pr = yml_get_pair(anns, annotation);
        const char *v = pr ? yml_str(pr->val) : NULL;
        if (!v)
            continue;
        /* Several entries may be given, one per line or separated by ';'. */
        const char *s = v;
        int k = 0;
        while (*s) {
            size_t n = strcspn(s, ";\n");
            if (!blank(s, s + n)) {
                struct inline_ignore *ig = arena_alloc(u->arena, sizeof(*ig));
                entry_parse(ig, u->arena, s, s + n);
                ig->line = pr->val->line + (pr->val->block ? 1 + k : 0);
                ig->col = pr->key->col;
                ig->first = yf.docs[d].line < root->line ? yf.docs[d].line : root->line;
                ig->last = root->end_line;
                ig->text = arena_sprintf(u->arena, "%s: %.*s", annotation, (int)n, s);
                vec_push(&u->ignores, ig);
            }
            k++;
            s += n;
            if (*s)
                s++;
        }
    }
    findings_release(&diags);
    arena_free(tmp);
}

void lint_ignores_collect(struct unit *u, const char *data, size_t len)
{
    foreign_collect(u, data, len);
    if (!memmem(data, len, "opsbook", 7))
        return;
    comments_collect(u, data, len);
    if ((u->kind == FK_K8S || u->kind == FK_YAML) &&
        memmem(data, len, annotation, sizeof(annotation) - 1))
        annotations_collect(u, data, len);
}

static int is_suppression_rule(const char *id)
{
    return str_startswith(id, "suppression-");
}

static struct finding *ignore_finding(const struct scan *s, const struct unit *u,
                                      const struct inline_ignore *ig, const char *rule,
                                      const char *msg)
{
    const struct rule *r = lint_rule_find(&s->cat, rule);
    struct finding *f = finding_new(rule, r ? r->severity : SEV_WARNING, u->file->path, ig->line,
                                    ig->col, "%s", msg);
    f->display = finding_intern(u->file->display);
    f->excerpt = xstrdup(ig->text ? ig->text : "");
    for (char *c = f->excerpt; *c; c++)
        if ((unsigned char)*c < 0x20 && *c != '\t')
            *c = '?';
    return f;
}

/* Marks the ignores of u that cover f as used and suppresses f with the first reason. */
static void ignore_match(struct unit *u, struct finding *f, int no_ignores)
{
    for (size_t k = 0; k < u->ignores.len; k++) {
        struct inline_ignore *ig = u->ignores.items[k];
        int rule = ig->foreign && strcmp(ig->rule_id, "secret-*") == 0
                       ? str_startswith(f->rule_id, "secret-")
                       : strcmp(ig->rule_id, f->rule_id) == 0;
        if (!ig->reason || !rule || f->line < ig->first || f->line > ig->last)
            continue;
        ig->used = 1;
        if (!no_ignores && !f->suppressed)
            f->suppressed = xstrdup(ig->reason);
    }
}

void lint_ignores_match(struct unit *u, struct findings *fs, int no_ignores)
{
    for (size_t i = 0; i < fs->v.len; i++)
        if (!is_suppression_rule(((struct finding *)fs->v.items[i])->rule_id))
            ignore_match(u, fs->v.items[i], no_ignores);
}

void lint_ignores_apply(struct scan *s, struct findings *all, int no_ignores)
{
    struct strmap by_display = STRMAP_INIT;
    for (size_t j = 0; j < s->model.units.len; j++) {
        struct unit *u = s->model.units.items[j];
        if (u->ignores.len)
            strmap_put(&by_display, u->file->display, u);
    }
    if (!by_display.len)
        goto out;
    for (size_t i = 0; i < all->v.len; i++) {
        struct finding *f = all->v.items[i];
        struct unit *u = f->display ? strmap_get(&by_display, f->display) : NULL;
        if (!u || is_suppression_rule(f->rule_id))
            continue;
        ignore_match(u, f, no_ignores);
    }
    for (size_t j = 0; j < s->model.units.len; j++) {
        struct unit *u = s->model.units.items[j];
        for (size_t k = 0; k < u->ignores.len; k++) {
            struct inline_ignore *ig = u->ignores.items[k];
            if (ig->foreign)
                continue; /* another tool's marker: not ours to call unused */
            const struct rule *r = lint_rule_find(&s->cat, ig->rule_id);
            char *msg = NULL;
            if (!*ig->rule_id)
                msg = xasprintf("opsbook:ignore names no rule; write 'opsbook:ignore RULE-ID "
                                "reason'");
            else if (!ig->reason)
                msg = xasprintf("ignore of %s gives no reason; say why the finding is "
                                "acceptable after the rule id",
                                ig->rule_id);
            if (msg) {
                findings_add(all, ignore_finding(s, u, ig, "suppression-missing-reason", msg));
                free(msg);
                continue;
            }
            if (ig->used || (r && !r->enabled))
                continue;
            if (!r)
                msg = xasprintf("ignore of %s suppresses nothing: there is no such rule",
                                ig->rule_id);
            else
                msg = xasprintf("ignore of %s suppresses nothing: no such finding on the line "
                                "it covers; remove it",
                                ig->rule_id);
            findings_add(all, ignore_finding(s, u, ig, "suppression-unused", msg));
            free(msg);
        }
    }
out:
    strmap_release(&by_display);
}

/* ---- baselines ---- */

/* A baseline is text: one finding per line, "FINGERPRINT RULE PATH:LINE"; '#' comments. */
int lint_baseline_apply(struct scan *s, const char *path, struct errbuf *err)
{
    FILE *in = fopen(path, "r");
    if (!in) {
        errbuf_set(err, "--baseline %s: %s", path, strerror(errno));
        return -1;
    }
    struct strmap known = STRMAP_INIT;
    struct vec keys = VEC_INIT;
    char buf[4096];
    int lineno = 0, rc = 0;
    while (fgets(buf, sizeof(buf), in)) {
        lineno++;
        if (buf[0] == '#' || buf[0] == '\n')
            continue;
        size_t n = strspn(buf, "0123456789abcdef");
        if (n != 16 || (buf[16] != ' ' && buf[16] != '\n' && buf[16] != '\t')) {
            errbuf_set(err, "%s:%d: not a baseline line (expected a 16-digit fingerprint)", path,
                       lineno);
            rc = -1;
            break;
        }
        char *k = xstrndup(buf, 16);
        vec_push(&keys, k);
        strmap_put(&known, k, k);
    }
    fclose(in);
    for (size_t i = 0; rc == 0 && i < s->findings.v.len; i++) {
        struct finding *f = s->findings.v.items[i];
        if (!f->suppressed && strmap_get(&known, f->fingerprint))
            f->suppressed = xstrdup(LINT_BASELINE_REASON);
    }
    for (size_t i = 0; i < keys.len; i++)
        free(keys.items[i]);
    vec_release(&keys);
    strmap_release(&known);
    return rc;
}

int lint_baseline_write(const struct scan *s, const char *path, struct errbuf *err)
{
    FILE *out = fopen(path, "w");
    if (!out) {
        errbuf_set(err, "--write-baseline %s: %s", path, strerror(errno));
        return -1;
    }
    fprintf(out, "# opsbook baseline: accepted findings, one per line (fingerprint rule "
                 "path:line).\n# Findings whose fingerprint is listed are reported as "
                 "suppressed by --baseline.\n");
    for (size_t i = 0; i < s->findings.v.len; i++) {
        const struct finding *f = s->findings.v.items[i];
        if (!f->suppressed)
            fprintf(out, "%s %s %s:%d\n", f->fingerprint, f->rule_id, f->path, f->line);
    }
    if (fclose(out) != 0) {
        errbuf_set(err, "--write-baseline %s: write failed", path);
        return -1;
    }
    return 0;
}
