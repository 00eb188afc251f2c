/* The runbook site: crawls generated sites (every internal link and #anchor resolves, nothing
 * external is loaded, every entity has a page, every page has a title and a way back to the
 * overview), checks that output is byte-identical across runs, that hostile repository text
 * never becomes markup, the structure of one small page against a golden file, and drives
 * the site in headless Chromium when it is installed. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/linked.h"
#include "render/site_int.h"
#include "testlib.h"

struct page {
    char *path;                   /* relative to the site root */
    char *data;
    struct strmap ids;            /* id attribute values */
    struct vec id_keys;           /* owned keys of ids */
};

struct crawl {
    char *root;
    struct vec pages;             /* struct page* */
    struct strmap by_path;
    int errors;
};

static char *slurp(const char *path, size_t *len)
{
    char *s = t_read(path, len);
    cr_assert_not_null(s, "cannot read %s", path);
    return s;
}

/* HTML attribute value unescaped (the entities html_esc and cmark write). */
static char *unescape(const char *s, size_t n)
{
    static const struct {
        const char *ent;
        char c;
    } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < n;) {
        size_t k = 0;
        for (; k < ARRAY_LEN(ents); k++) {
            size_t l = strlen(ents[k].ent);
            if (i + l <= n && strncmp(s + i, ents[k].ent, l) == 0) {
                sb_addc(&sb, ents[k].c);
                i += l;
                break;
            }
        }
        if (k == ARRAY_LEN(ents))
            sb_addc(&sb, s[i++]);
    }
    return sb.buf ? sb_detach(&sb) : xstrdup("");
}

static char *pct_decode(const char *s)
{
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; s[i]; i++) {
        char hex[3] = {s[i + 1], s[i] && s[i + 1] ? s[i + 2] : '\0', '\0'};
        char *end = NULL;
        long v = s[i] == '%' && s[i + 1] && s[i + 2] ? strtol(hex, &end, 16) : -1;
        if (v >= 0 && end == hex + 2) {
            sb_addc(&sb, (char)v);
            i += 2;
        } else {
            sb_addc(&sb, s[i]);
        }
    }
    return sb.buf ? sb_detach(&sb) : xstrdup("");
}

/* Calls fn for each value of attribute `attr` (e.g. " href=\"") in data. */
static void each_attr(const char *data, const char *attr, void (*fn)(void *, const char *),
                      void *ctx)
{
    size_t al = strlen(attr);
    for (const char *p = data; (p = strstr(p, attr)) != NULL;) {
        p += al;
        const char *e = strchr(p, '"');
        if (!e)
            break;
        char *v = unescape(p, (size_t)(e - p));
        fn(ctx, v);
        free(v);
        p = e + 1;
    }
}

static void add_id(void *ctx, const char *v)
{
    struct page *pg = ctx;
    char *k = xstrdup(v);
    vec_push(&pg->id_keys, k);
    strmap_put(&pg->ids, k, k);
}

static void crawl_load(struct crawl *c, const char *root)
{
    memset(c, 0, sizeof(*c));
    c->root = xstrdup(root);
    char *cmd = xasprintf("cd '%s' && find . -type f | sort", root);
    char *list = NULL;
    cr_assert_eq(t_run(cmd, &list), 0);
    char *save = NULL;
    for (char *line = strtok_r(list, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        struct page *pg = xcalloc(1, sizeof(*pg));
        pg->path = xstrdup(line + 2);
        char *abs = path_join(root, pg->path);
        pg->data = slurp(abs, NULL);
        free(abs);
        if (str_endswith(pg->path, ".html"))
            each_attr(pg->data, " id=\"", add_id, pg);
        vec_push(&c->pages, pg);
        strmap_put(&c->by_path, pg->path, pg);
    }
    free(list);
    free(cmd);
}

static void crawl_release(struct crawl *c)
{
    for (size_t i = 0; i < c->pages.len; i++) {
        struct page *pg = c->pages.items[i];
        for (size_t k = 0; k < pg->id_keys.len; k++)
            free(pg->id_keys.items[k]);
        vec_release(&pg->id_keys);
        strmap_release(&pg->ids);
        free(pg->path);
        free(pg->data);
        free(pg);
    }
    vec_release(&c->pages);
    strmap_release(&c->by_path);
    free(c->root);
}

struct link_ctx {
    struct crawl *c;
    struct page *from;
    int to_overview;
    int is_src;
};

static void check_link(void *ctxp, const char *v)
{
    struct link_ctx *ctx = ctxp;
    int scheme = doc_url_scheme(v);
    if (scheme < 0) {
        fprintf(stderr, "%s: refused URL kept: %s\n", ctx->from->path, v);
        ctx->c->errors++;
        return;
    }
    if (scheme > 0) {
        if (ctx->is_src) {
            fprintf(stderr, "%s: loads an outside resource: %s\n", ctx->from->path, v);
            ctx->c->errors++;
        }
        return;
    }
    char *url = xstrdup(v);
    char *frag = strchr(url, '#');
    if (frag)
        *frag++ = '\0';
    char *q = strchr(url, '?');
    if (q)
        *q = '\0';
    struct page *target = ctx->from;
    if (*url) {
        char *dir = path_dirname(ctx->from->path);
        char *dec = pct_decode(url);
        char *joined = *dir ? path_join(dir, dec) : xstrdup(dec);
        char *norm = path_normalize(joined);
        target = strmap_get(&ctx->c->by_path, norm);
        if (!target) {
            fprintf(stderr, "%s: dead link %s\n", ctx->from->path, v);
            ctx->c->errors++;
        } else if (strcmp(norm, "index.html") == 0) {
            ctx->to_overview = 1;
        }
        free(norm);
        free(joined);
        free(dec);
        free(dir);
    }
    if (target && frag && *frag) {
        char *dec = pct_decode(frag);
        if (!strmap_get(&target->ids, dec)) {
            fprintf(stderr, "%s: no id '%s' in %s\n", ctx->from->path, dec, target->path);
            ctx->c->errors++;
        }
        free(dec);
    }
    free(url);
}

/* Every internal href/src resolves (with its anchor), every page has a title and a link to
 * the overview, and the shared assets reference nothing outside the site. */
static void crawl_check(struct crawl *c)
{
    size_t html = 0;
    for (size_t i = 0; i < c->pages.len; i++) {
        struct page *pg = c->pages.items[i];
        if (str_endswith(pg->path, ".css") || str_endswith(pg->path, "app.js")) {
            static const char *const banned[] = {"http:", "https:", "url(", "@import", "fetch(",
                                                 "XMLHttpRequest", "innerHTML", "//cdn"};
            for (size_t b = 0; b < ARRAY_LEN(banned); b++)
                cr_expect_null(strstr(pg->data, banned[b]), "%s contains %s", pg->path,
                               banned[b]);
            continue;
        }
        if (!str_endswith(pg->path, ".html"))
            continue;
        html++;
        struct link_ctx ctx = {c, pg, 0, 0};
        each_attr(pg->data, " href=\"", check_link, &ctx);
        ctx.is_src = 1;
        each_attr(pg->data, " src=\"", check_link, &ctx);
        each_attr(pg->data, " action=\"", check_link, &ctx);
        cr_expect(strstr(pg->data, "<title>") && !strstr(pg->data, "<title></title>"),
                  "%s has no title", pg->path);
        cr_expect(ctx.to_overview, "%s has no link to the overview", pg->path);
    }
    cr_expect_gt(html, 5);
    cr_expect_eq(c->errors, 0, "%d broken references (see stderr)", c->errors);
}

static int has_page(struct crawl *c, const char *dir, const char *key)
{
    struct strbuf slug = STRBUF_INIT;
    site_slug(&slug, key);
    char *p = xasprintf("%s/%s.html", dir, sb_str(&slug));
    int ok = strmap_get(&c->by_path, p) != NULL;
    if (!ok)
        fprintf(stderr, "no page %s for %s\n", p, key);
    free(p);
    sb_release(&slug);
    return ok;
}

/* Every rule, workflow, doc, service and environment of the scan has its page. */
static void coverage_check(struct crawl *c, const struct scan *s)
{
    for (size_t i = 0; i < s->cat.rules.len; i++)
        cr_expect(has_page(c, "rule", ((const struct rule *)s->cat.rules.items[i])->id));
    for (size_t i = 0; i < s->model.units.len; i++) {
        const struct unit *u = s->model.units.items[i];
        if (u->workflows.len)
            cr_expect(has_page(c, "wf", u->file->path));
        if (u->docs.len)
            cr_expect(has_page(c, "doc", u->file->path));
        if (u->loaded && u->kind != FK_BINARY)
            cr_expect(has_page(c, "src", u->file->path));
    }
    const struct linked_model *lm = s->model.linked;
    for (size_t i = 0; lm && i < lm->services.len; i++)
        cr_expect(has_page(c, "svc", ((const struct service *)lm->services.items[i])->name));
    for (size_t i = 0; lm && i < lm->environments.len; i++)
        cr_expect(
            has_page(c, "env", ((const struct environment *)lm->environments.items[i])->name));
}

static void site_gen(const struct scan *s, const char *out, int threads)
{
    struct site_opts o = {.outdir = out, .title = "test site", .threads = threads};
    struct site_stats st;
    struct errbuf err = {{0}, 0};
    cr_assert_eq(site_write(s, &o, &st, &err), 0, "%s", err.msg);
    cr_assert_gt(st.pages, 0);
}

static void crawl_repo(const char *repo, size_t min_services)
{
    struct scan s;
    t_scan(&s, repo);
    char *tmp = t_tmpdir();
    site_gen(&s, tmp, 2);
    struct crawl c;
    crawl_load(&c, tmp);
    crawl_check(&c);
    coverage_check(&c, &s);
    size_t nsvc = s.model.linked ? s.model.linked->services.len : 0;
    cr_expect_geq(nsvc, min_services, "%s: %zu services", repo, nsvc);
    crawl_release(&c);
    lint_scan_release(&s);
    t_rmtree(tmp);
    free(tmp);
}

Test(site, platform_example_crawls_clean, .timeout = 120)
{
    char *repo = xasprintf("%s/examples/platform", t_root());
    crawl_repo(repo, 0);
    free(repo);
}

/* The generated corpus has services, environments, overlays and Argo CD apps. */
Test(site, corpus_crawls_clean, .timeout = 300)
{
    char *gen = xasprintf("%s/tools/gen_corpus.py", t_root());
    char *dir = t_tmpdir();
    char *cmd = xasprintf("python3 '%s' --services 10 --seed 1 --quiet --force '%s/c' >/dev/null",
                          gen, dir);
    cr_assert_eq(t_run(cmd, NULL), 0);
    char *repo = xasprintf("%s/c", dir);
    crawl_repo(repo, 10);
    t_rmtree(dir);
    free(repo);
    free(cmd);
    free(dir);
    free(gen);
}

Test(site, two_runs_are_byte_identical, .timeout = 120)
{
    char *repo = xasprintf("%s/examples/platform", t_root());
    struct scan s;
    t_scan(&s, repo);
    char *a = t_tmpdir(), *b = t_tmpdir();
    site_gen(&s, a, 1);
    site_gen(&s, b, 2);
    lint_scan_release(&s);
    /* A second scan as well: nothing may depend on addresses or timing. */
    t_scan(&s, repo);
    site_gen(&s, b, 2);
    lint_scan_release(&s);
    char *cmd = xasprintf("diff -r '%s' '%s' >&2", a, b);
    cr_expect_eq(t_run(cmd, NULL), 0, "the two sites differ");
    t_rmtree(a);
    t_rmtree(b);
    free(cmd);
    free(a);
    free(b);
    free(repo);
}

/* ---- hostile input ---- */

static const char *const allowed_tags[] = {
    "html", "head", "meta", "title", "link", "script", "body", "a", "header", "span", "form",
    "input", "ul", "li", "div", "nav", "main", "p", "h1", "h2", "h3", "h4", "h5", "h6",
    "footer", "table", "thead", "tbody", "tr", "th", "td", "code", "pre", "section", "dl",
    "dt", "dd", "select", "option", "label", "output", "figure", "figcaption", "svg", "defs",
    "marker", "path", "g", "rect", "text", "article", "aside", "ol", "em", "strong", "del",
    "blockquote", "hr", "br",
};

static int tag_allowed(const char *name, size_t n)
{
    for (size_t i = 0; i < ARRAY_LEN(allowed_tags); i++)
        if (strlen(allowed_tags[i]) == n && strncasecmp(allowed_tags[i], name, n) == 0)
            return 1;
    return 0;
}

/* Walks every tag of an HTML page: only our tags, no event-handler attributes, script tags
 * only for our two assets, and every URL attribute with an allowed scheme. */
static int markup_check(const char *path, const char *d)
{
    int bad = 0;
    for (const char *p = d; (p = strchr(p, '<')) != NULL;) {
        p++;
        if (*p == '!') {
            p = strchr(p, '>');
            if (!p)
                break;
            continue;
        }
        if (*p == '/')
            p++;
        const char *name = p;
        while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
            p++;
        size_t nl = (size_t)(p - name);
        if (!tag_allowed(name, nl)) {
            fprintf(stderr, "%s: unexpected tag <%.*s\n", path, (int)(nl ? nl : 10), name);
            bad++;
        }
        int script = nl == 6 && strncasecmp(name, "script", 6) == 0 && name[-1] != '/';
        int script_ok = 0;
        while (*p && *p != '>') {
            while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '/')
                p++;
            const char *an = p;
            while (*p && *p != '=' && *p != '>' && *p != ' ' && *p != '\n' && *p != '/')
                p++;
            size_t anl = (size_t)(p - an);
            if (anl >= 2 && strncasecmp(an, "on", 2) == 0) {
                fprintf(stderr, "%s: event handler attribute %.*s\n", path, (int)anl, an);
                bad++;
            }
            if (*p != '=')
                continue;
            p++;
            char q = *p == '"' || *p == '\'' ? *p++ : 0;
            const char *v = p;
            while (*p && (q ? *p != q : (*p != ' ' && *p != '>')))
                p++;
            char *val = unescape(v, (size_t)(p - v));
            if ((anl == 4 && !strncasecmp(an, "href", 4)) ||
                (anl == 3 && !strncasecmp(an, "src", 3)) ||
                (anl == 6 && !strncasecmp(an, "action", 6))) {
                if (doc_url_scheme(val) < 0) {
                    fprintf(stderr, "%s: refused URL in %.*s: %s\n", path, (int)anl, an, val);
                    bad++;
                }
            }
            if (script && anl == 3 && !strncasecmp(an, "src", 3) &&
                (str_endswith(val, "assets/app.js") || str_endswith(val, "assets/search-index.js")))
                script_ok = 1;
            free(val);
            if (q && *p)
                p++;
        }
        if (script && !script_ok) {
            fprintf(stderr, "%s: a script that is not ours\n", path);
            bad++;
        }
    }
    return bad;
}

static const char hostile_md[] =
    "# Title \"><img src=x onerror=alert(1)>\n\n"
    "<script>alert('md')</script>\n\n"
    "<img src=x onerror=alert(2)>\n\n"
    "Inline <b onclick=\"alert(3)\">bold</b> and </svg><script>alert(4)</script>\n\n"
    "[a](javascript:alert(5)) [b](JaVaScRiPt:alert(6)) [c](data:text/html;base64,PHNjcmlwdD4=)\n"
    "[d](vbscript:msgbox) [e](java&#x09;script:alert(7)) [f](//evil.example/x)\n"
    "![g](javascript:alert(8)) ![h](https://evil.example/track.png)\n\n"
    "<a href=\"javascript:alert(9)\">raw</a> <iframe src=\"https://evil.example\"></iframe>\n\n"
    "[link \"><script>alert(10)</script>](b.md \"t\\\"><script>alert(11)</script>\")\n\n"
    "## \"><svg onload=alert(12)>\n";

static const char hostile_k8s[] =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
    "  name: \"x\\\"><script>alert(20)</script>\"\n"
    "  namespace: \"</svg><img src=x onerror=alert(21)>\"\n"
    "spec:\n  selector:\n    matchLabels: {app: x}\n  template:\n    metadata:\n"
    "      labels: {app: x}\n    spec:\n      containers:\n"
    "        - name: \"c'><script>alert(22)</script>\"\n"
    "          image: \"javascript:alert(23)\"\n"
    "          env:\n            - name: T\n              valueFrom:\n"
    "                secretKeyRef: {name: \"s\\\"><img src=x onerror=alert(24)>\", key: k}\n";

static const char hostile_wf[] =
    "name: \"</svg><script>alert(30)</script>\"\non: push\njobs:\n"
    "  \"a\\\"><img src=x onerror=alert(31)>\":\n    runs-on: ubuntu-latest\n"
    "    environment: \"javascript:alert(32)\"\n    steps:\n"
    "      - uses: \"actions/checkout@</svg><script>alert(33)</script>\"\n"
    "      - run: echo \"${{ secrets.X }}\" '</script><script>alert(34)</script>'\n"
    "  b:\n    needs: [\"a\\\"><img src=x onerror=alert(31)>\"]\n"
    "    environment: production\n    runs-on: ubuntu-latest\n"
    "    steps:\n      - run: echo hi\n";

/* The checker itself catches what it is there to catch. */
Test(site, markup_checker_catches_injections)
{
    static const char *const bad[] = {
        "<p><img src=x onerror=alert(1)></p>", "<a href=\"javascript:alert(1)\">x</a>",
        "<script>alert(1)</script>", "<div onclick='x'>", "<a href=\"JaVaScRiPt:x\">",
        "<iframe src=\"https://evil.example\"></iframe>", "<svg><a href=\"data:text/html,x\">",
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++)
        cr_expect_gt(markup_check("test", bad[i]), 0, "not caught: %s", bad[i]);
    cr_expect_eq(markup_check("test", "<p class=\"x\">&lt;script&gt;<a href=\"../a.html#b\">"
                                      "ok</a><script defer src=\"assets/app.js\"></script></p>"),
                 0);
}

Test(site, hostile_input_never_becomes_markup, .timeout = 120)
{
    char *repo = t_tmpdir();
    t_write(repo, "README.md", hostile_md);
    t_write(repo, "b.md", "# B\n");
    t_write(repo, "docs/\"><img src=x onerror=alert(40)>.md",
            "# \"><b>x</b>\n[up](../README.md)\n");
    t_write(repo, "k8s/deploy.yaml", hostile_k8s);
    t_write(repo, ".github/workflows/</svg><script>alert(41)<\\script>.yml", hostile_wf);
    t_write(repo, ".github/workflows/ci.yml", hostile_wf);
    struct scan s;
    t_scan(&s, repo);
    char *out = t_tmpdir();
    site_gen(&s, out, 2);
    struct crawl c;
    crawl_load(&c, out);
    int bad = 0, shown = 0;
    for (size_t i = 0; i < c.pages.len; i++) {
        const struct page *pg = c.pages.items[i];
        if (!str_endswith(pg->path, ".html"))
            continue;
        bad += markup_check(pg->path, pg->data);
        /* The hostile text is on the page, as text. */
        shown += strstr(pg->data, "&lt;script&gt;alert(") != NULL;
    }
    cr_expect_eq(bad, 0, "%d unsafe constructs (see stderr)", bad);
    cr_expect_gt(shown, 0, "the hostile text should be shown escaped");
    const struct page *idx = strmap_get(&c.by_path, "assets/search-index.js");
    cr_assert_not_null(idx);
    cr_expect_null(strstr(idx->data, "</script"), "search index can close a script");
    cr_expect_null(strstr(idx->data, "<img"), "search index holds raw markup");
    crawl_check(&c);
    crawl_release(&c);
    lint_scan_release(&s);
    t_rmtree(out);
    t_rmtree(repo);
    free(out);
    free(repo);
}

/* A secret in a scanned file is masked wherever the site shows that text: the source view,
 * the rendered doc, the first line of a run step on a pipeline page. */
Test(site, secrets_are_masked_on_every_page)
{
    static const struct {
        const char *path, *content;
        int line, col;
    } files[] = {
        {"config.yaml", "token: sk_live_abcdefghijklmnopqrstuvwx\nother: 1\n", 1, 8},
        {"docs/x.md", "# X\n\nUse key sk_live_abcdefghijklmnopqrstuvwx for tests.\n", 3, 9},
        {".github/workflows/ci.yml",
         "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n"
         "          curl -H sk_live_abcdefghijklmnopqrstuvwx https://x.example\n",
         7, 19},
    };
    char *repo = t_tmpdir();
    for (size_t i = 0; i < ARRAY_LEN(files); i++)
        t_write(repo, files[i].path, files[i].content);
    struct scan s;
    t_scan(&s, repo);
    /* Stand in for the secrets scanner (its own branch): findings with their mask spans. */
    for (size_t i = 0; i < ARRAY_LEN(files); i++) {
        struct finding *f = finding_new("parse-error", SEV_ERROR, files[i].path, files[i].line,
                                        files[i].col, "a secret");
        f->mask_col = files[i].col;
        f->mask_len = 32;
        findings_add(&s.findings, f);
    }
    findings_sort(&s.findings);
    char *out = t_tmpdir();
    site_gen(&s, out, 1);
    struct crawl c;
    crawl_load(&c, out);
    int leaks = 0, masked = 0;
    for (size_t i = 0; i < c.pages.len; i++) {
        const struct page *pg = c.pages.items[i];
        if (strstr(pg->data, "abcdefghijklmnop")) {
            fprintf(stderr, "secret on %s\n", pg->path);
            leaks++;
        }
        masked += strstr(pg->data, "sk_l****") != NULL;
    }
    cr_expect_eq(leaks, 0);
    cr_expect_geq(masked, 3, "the masked form is shown (%d pages)", masked);
    const struct page *wf = strmap_get(&c.by_path, "wf/github-workflows-ci.yml.html");
    cr_expect(wf && strstr(wf->data, "curl -H"), "the run step is shown");
    crawl_release(&c);
    lint_scan_release(&s);
    t_rmtree(out);
    t_rmtree(repo);
    free(out);
    free(repo);
}

/* ---- golden structure of one small page ---- */

/* Tag skeleton of <main>: one line per element, indented by depth, with id and class. */
static void skeleton(struct strbuf *out, const char *d)
{
    static const char *const voids[] = {"meta", "link", "input", "br", "hr", "img", "path", "rect"};
    const char *m = strstr(d, "<main");
    const char *end = strstr(d, "</main>");
    cr_assert(m && end);
    int depth = 0;
    for (const char *p = m; p < end && (p = strchr(p, '<')) != NULL && p < end;) {
        p++;
        if (*p == '!') {
            p = strchr(p, '>');
            continue;
        }
        int close = *p == '/';
        if (close)
            p++;
        const char *name = p;
        while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
            p++;
        size_t nl = (size_t)(p - name);
        const char *gt = strchr(p, '>');
        if (close) {
            depth--;
            p = gt;
            continue;
        }
        for (int i = 0; i < depth; i++)
            sb_adds(out, "  ");
        sb_add(out, name, nl);
        struct strbuf tag = STRBUF_INIT;
        sb_add(&tag, p, (size_t)(gt - p));
        static const char *const keep[] = {" id=\"", " class=\""};
        for (size_t k = 0; k < ARRAY_LEN(keep); k++) {
            const char *a = strstr(sb_str(&tag), keep[k]);
            if (a) {
                const char *v = a + strlen(keep[k]);
                const char *q = strchr(v, '"');
                sb_addf(out, "%s%.*s\"", keep[k], (int)(q - v), v);
            }
        }
        sb_release(&tag);
        sb_addc(out, '\n');
        int is_void = gt[-1] == '/';
        for (size_t v = 0; v < ARRAY_LEN(voids); v++)
            is_void |= strlen(voids[v]) == nl && strncmp(voids[v], name, nl) == 0;
        if (!is_void)
            depth++;
        p = gt;
    }
}

Test(site, golden_doc_page_structure)
{
    char *repo = t_tmpdir();
    t_write(repo, "guide.md",
            "# Guide\n\nRead [the other page](other.md#setup) or [nothing](gone.md).\n\n"
            "## Setup\n\n| key | value |\n|---|---|\n| a | `1` |\n\n- [x] done\n");
    t_write(repo, "other.md", "# Other\n\n## Setup\n\nBack to the [guide](guide.md).\n");
    struct scan s;
    t_scan(&s, repo);
    char *out = t_tmpdir();
    site_gen(&s, out, 1);
    char *page = path_join(out, "doc/guide.md.html");
    char *html = slurp(page, NULL);
    struct strbuf got = STRBUF_INIT;
    skeleton(&got, html);
    char *exp_path = xasprintf("%s/tests/golden/site/doc-page.expected", t_root());
    if (getenv("OPSBOOK_UPDATE_GOLDEN")) {
        FILE *f = fopen(exp_path, "w");
        cr_assert_not_null(f);
        fputs(sb_str(&got), f);
        fclose(f);
    }
    char *want = slurp(exp_path, NULL);
    cr_expect_str_eq(sb_str(&got), want, "structure of doc/guide.md.html changed:\n%s",
                     sb_str(&got));
    free(want);
    free(exp_path);
    sb_release(&got);
    free(html);
    free(page);
    lint_scan_release(&s);
    t_rmtree(out);
    t_rmtree(repo);
    free(out);
    free(repo);
}

/* ---- the browser ---- */

Test(site, browser_in_headless_chromium, .timeout = 240)
{
    if (access("/usr/bin/chromium", X_OK) != 0)
        cr_skip_test("Chromium is not installed (/usr/bin/chromium)");
    char *pw = xasprintf("%s/build/npm/node_modules/playwright-core", t_root());
    cr_assert_eq(access(pw, R_OK), 0, "playwright-core missing: run make deps");
    char *gen = xasprintf("%s/tools/gen_corpus.py", t_root());
    char *dir = t_tmpdir();
    char *gcmd = xasprintf("python3 '%s' --services 10 --seed 1 --quiet --force '%s/c' >/dev/null",
                           gen, dir);
    cr_assert_eq(t_run(gcmd, NULL), 0);
    free(gcmd);
    char *repo = xasprintf("%s/c", dir);
    struct scan s;
    t_scan(&s, repo);
    char *site = xasprintf("%s/site", dir);
    site_gen(&s, site, 2);
    lint_scan_release(&s);
    char *cmd = xasprintf("cd '%s' && NODE_PATH='%s/build/npm/node_modules' node "
                          "tests/browser/site.test.js '%s' '%s/build/screenshots' 2>&1",
                          t_root(), t_root(), site, t_root());
    char *log = NULL;
    int rc = t_run(cmd, &log);
    fprintf(stderr, "%s", log);
    cr_expect_eq(rc, 0, "browser test failed:\n%s", log);
    free(log);
    free(cmd);
    t_rmtree(dir);
    free(site);
    free(repo);
    free(dir);
    free(gen);
    free(pw);
}
