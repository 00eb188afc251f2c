/* Markdown docs: the loader's titles, headings and anchors, and docs-broken-link over small
 * repositories of a few files each (true positives and near misses that must stay quiet). */
#include <criterion/criterion.h>
#include <string.h>

#include "model/doc.h"
#include "testlib.h"

struct doc_case {
    const char *files[4][2];      /* {path, content}, up to 4 */
    int broken;                   /* expected docs-broken-link findings */
    const char *why;
};

static const struct doc_case cases[] = {
    {{{"a.md", "[x](missing.md)\n"}}, 1, "missing page"},
    {{{"a.md", "[x](b.md)\n"}, {"b.md", "# B\n"}}, 0, "existing page"},
    {{{"a.md", "[x](b.md#nope)\n"}, {"b.md", "# B\n\n## Yes\n"}}, 1, "missing anchor"},
    {{{"a.md", "[x](b.md#yes)\n"}, {"b.md", "# B\n\n## Yes\n"}}, 0, "existing anchor"},
    {{{"a.md", "# T\n\n[x](#nowhere)\n"}}, 1, "missing anchor on the same page"},
    {{{"a.md", "# T\n\n## Roll back (prod)\n\n[x](#roll-back-prod)\n"}}, 0, "own anchor"},
    {{{"a.md", "[x](https://example.com/x.md) <mailto:a@b.example> <https://x.example>\n"}},
     0, "outside addresses"},
    {{{"docs/a.md", "[x](../../../etc/passwd)\n"}}, 1, "climbs out of the repository"},
    {{{"a.md", "[x](sub/)\n"}, {"sub/c.yaml", "a: 1\n"}}, 0, "a folder"},
    {{{"docs/a.md", "[x](/b.md)\n"}, {"b.md", "# B\n"}}, 0, "root-relative"},
    {{{"a.md", "![diagram](img/arch.png)\n"}}, 1, "missing image"},
    {{{"a.md", "![diagram](arch.png)\n"}, {"arch.png", "\x89PNG\r\n\x1a\n\x01\x02"}}, 0,
     "existing image"},
    {{{"a.md", "[x](my%20file.md)\n"}, {"my file.md", "# M\n"}}, 0, "percent-encoded"},
    {{{"a.md", "[x](b.md#a-1)\n"}, {"b.md", "## A\n\n## A\n"}}, 0, "repeated heading"},
    {{{"a.md", "[x](b.md#a-2)\n"}, {"b.md", "## A\n\n## A\n"}}, 1, "repeated heading, too far"},
    {{{"a.md", "[x](javascript:alert(1))\n"}}, 0, "refused, not broken"},
    {{{"a.md", "[x](c.yaml#L2)\n"}, {"c.yaml", "a: 1\nb: 2\n"}}, 0, "line of a file"},
    {{{"a.md", "[x](b.md?plain=1#yes)\n"}, {"b.md", "## Yes\n"}}, 0, "query string"},
    {{{"a.md", "```\n[x](missing.md)\n```\n"}}, 0, "inside a code block"},
    /* a terraform-docs table: the anchor is an HTML one, the underscore escaped */
    {{{"README.md", "| Name |\n|---|\n| <a name=\"input_vpc_id\"></a> "
                    "[vpc\\_id](#input\\_vpc\\_id) |\n"}}, 0, "an HTML name anchor"},
    {{{"a.md", "* [Step one](#step-one)\n\n### Step One: set up <a id='step-one'></a>\n"}}, 0,
     "an HTML id in a heading"},
    {{{"a.md", "[x](#gone)\n\n<div id=\"there\"></div>\n"}}, 1, "an HTML id, but another"},
    {{{"a.md", "[x](#cfg)\n\n### Configuration { #cfg }\n"}}, 0, "a MkDocs attribute list"},
    /* GitHub drops the emoji and keeps its space: #prerequisites is broken there too */
    {{{"a.md", "[x](#prerequisites)\n\n## \xe2\x9a\x99\xef\xb8\x8f Prerequisites\n"}}, 1,
     "a heading after an emoji"},
    {{{"a.md", "[x](#-table-of-contents)\n\n## \xf0\x9f\x93\x9a Table of Contents\n"}}, 0,
     "the anchor GitHub gives it"},
    {{{"docs/a.md", "[home](/)\n"}, {"b.md", "# B\n"}}, 0, "the root itself"},
    /* a docsify site resolves from its folder, and `guide` is guide.md */
    {{{"docs/_sidebar.md", "- [Guide](guide.md)\n- [Ref](/ref/api)\n"},
      {"docs/guide.md", "# G\n"}, {"docs/ref/api.md", "# API\n"}}, 0, "a docsify sidebar"},
    {{{"docs/_sidebar.md", "- [Gone](gone.md)\n"}, {"docs/guide.md", "# G\n"}}, 1,
     "a docsify sidebar, a page that is not there"},
};

Test(docs, broken_link_cases, .timeout = 60)
{
    for (size_t c = 0; c < ARRAY_LEN(cases); c++) {
        char *dir = t_tmpdir();
        for (size_t f = 0; f < 4 && cases[c].files[f][0]; f++)
            t_write(dir, cases[c].files[f][0], cases[c].files[f][1]);
        struct scan s;
        t_scan(&s, dir);
        int n = t_count(&s, "docs-broken-link", NULL, 0);
        if (n != cases[c].broken)
            t_dump(&s);
        cr_expect_eq(n, cases[c].broken, "case %zu (%s): %d findings, want %d", c, cases[c].why,
                     n, cases[c].broken);
        lint_scan_release(&s);
        t_rmtree(dir);
        free(dir);
    }
}

Test(docs, broken_link_position_and_message)
{
    int line = 0;
    int n = t_scan_one("docs/x.md", "# X\n\nSee [the guide](guide.md).\n", "docs-broken-link",
                       &line);
    cr_assert_eq(n, 1);
    cr_assert_eq(line, 3);
}

static const struct {
    const char *text, *slug;
} slugs[] = {
    {"Hello, World!", "hello-world"},
    {"Rollback (prod)", "rollback-prod"},
    {"C++ & Go", "c--go"},
    {"snake_case-and-dash", "snake_case-and-dash"},
    {"HighErrorRate", "higherrorrate"},
    {"v1.2 release", "v12-release"},
    {"Quick Start / TL;DR", "quick-start--tldr"},
    {"\xf0\x9f\x93\x9a Table of Contents", "-table-of-contents"},
    {"\xe2\x9a\x99\xef\xb8\x8f Setup", "\xef\xb8\x8f-setup"}, /* U+FE0F is a mark: kept */
    {"Caf\xc3\xa9 \xc3\x89t\xc3\xa9", "caf\xc3\xa9-\xc3\xa9t\xc3\xa9"},
    {"Price \xc2\xa3 \xe2\x80\x94 \xc2\xa9 2024", "price----2024"},
};

Test(docs, anchor_slugs)
{
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < ARRAY_LEN(slugs); i++) {
        doc_anchor_slug(&sb, slugs[i].text);
        cr_expect_str_eq(sb_str(&sb), slugs[i].slug, "%s", slugs[i].text);
    }
    sb_release(&sb);
}

/* Loads one Markdown text into a throwaway unit. */
static const struct doc_page *load(struct unit *u, struct srcfile *f, const char *path,
                                   const char *md)
{
    memset(u, 0, sizeof(*u));
    memset(f, 0, sizeof(*f));
    f->path = (char *)path;
    u->file = f;
    u->kind = FK_MARKDOWN;
    u->arena = arena_new();
    model_unit_load(u, md, strlen(md));
    cr_assert_eq(u->docs.len, 1);
    return u->docs.items[0];
}

static void unload(struct unit *u)
{
    vec_release(&u->docs);
    findings_release(&u->diags);
    arena_free(u->arena);
}

Test(docs, titles_headings_links)
{
    struct unit u;
    struct srcfile f;
    const struct doc_page *d =
        load(&u, &f, "docs/r.md",
             "Intro text\n\n# The *Title*\n\n## Alerts\n\n## Alerts\n\nSee [b](b.md) and "
             "![i](i.png).\n\n| a | b |\n|---|---|\n| [c](c.md) | 2 |\n");
    cr_assert_str_eq(d->title, "The Title");
    cr_assert_eq(d->nheadings, 3);
    struct strbuf sb = STRBUF_INIT;
    cr_assert_str_eq(doc_heading_anchor(&sb, &d->headings[1]), "alerts");
    cr_assert_str_eq(doc_heading_anchor(&sb, &d->headings[2]), "alerts-1");
    sb_release(&sb);
    cr_assert_eq(d->headings[1].loc.line, 5);
    cr_assert_eq(d->nlinks, 3);
    cr_assert_str_eq(d->links[0].url, "b.md");
    cr_assert(d->links[1].image);
    cr_assert_str_eq(d->links[2].url, "c.md");
    cr_assert_eq(d->links[2].loc.line, 13);
    unload(&u);

    d = load(&u, &f, "docs/plain.md", "no headings at all\n");
    cr_assert_str_eq(d->title, "plain.md");
    unload(&u);
    d = load(&u, &f, "docs/h2.md", "## Only second level\n");
    cr_assert_str_eq(d->title, "Only second level");
    unload(&u);
}

/* Anchors are rebuilt from a heading's text and its suffix: repeats, and a heading whose own
 * slug is a suffixed one, get the anchors GitHub gives them. */
Test(docs, anchors_of_repeated_headings)
{
    struct unit u;
    struct srcfile f;
    const struct doc_page *d = load(&u, &f, "docs/r.md",
                                    "# A\n\n## a\n\n## A-1\n\n### a\n\n## Roll back (prod)\n\n"
                                    "[x](#a-2) [y](#a-1-1) [z](#a-3) [w](#roll-back-prod)\n");
    static const char *const want[] = {"a", "a-1", "a-1-1", "a-2", "roll-back-prod"};
    cr_assert_eq(d->nheadings, ARRAY_LEN(want));
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < ARRAY_LEN(want); i++)
        cr_expect_str_eq(doc_heading_anchor(&sb, &d->headings[i]), want[i], "heading %zu", i);
    sb_release(&sb);
    cr_expect(doc_page_has_anchor(d, "a-2"));
    cr_expect(doc_page_has_anchor(d, "a-1-1"));
    cr_expect_not(doc_page_has_anchor(d, "a-3"));
    unload(&u);
}

/* A link's text is kept where a broken-link finding can quote it: relative links. */
Test(docs, link_text_of_relative_links)
{
    struct unit u;
    struct srcfile f;
    const struct doc_page *d =
        load(&u, &f, "docs/r.md",
             "[the *b* page](b.md) [site](https://x.example) [same](b.md) [js](javascript:x) "
             "[here](#h)\n");
    cr_assert_eq(d->nlinks, 5);
    cr_expect_str_eq(d->links[0].text, "the b page");
    cr_expect_str_eq(d->links[1].text, "");
    cr_expect_str_eq(d->links[2].text, "same");
    cr_expect_str_eq(d->links[2].url, "b.md");
    cr_expect_eq(d->links[0].url, d->links[2].url, "one copy of a repeated url");
    cr_expect_str_eq(d->links[3].text, "");
    cr_expect_str_eq(d->links[4].text, "here");
    cr_expect_eq(d->links[4].loc.col, 80);
    unload(&u);
}

Test(docs, url_schemes)
{
    static const struct {
        const char *url;
        int want;
    } urls[] = {
        {"https://x.example", 1},  {"HTTP://x.example", 1},  {"mailto:a@b", 1},
        {"b.md", 0},               {"#top", 0},              {"../x/y.md", 0},
        {"javascript:alert(1)", -1}, {"JaVaScRiPt:alert(1)", -1}, {" javascript:x", -1},
        {"java\tscript:x", -1},    {"data:text/html,x", -1}, {"vbscript:x", -1},
        {"//evil.example/x", -1},  {"file:///etc/passwd", -1}, {"\\\\evil\\x", -1},
    };
    for (size_t i = 0; i < ARRAY_LEN(urls); i++)
        cr_expect_eq(doc_url_scheme(urls[i].url), urls[i].want, "%s", urls[i].url);
}
