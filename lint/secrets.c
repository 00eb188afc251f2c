/* The secrets scanner: one built-in check, `secret-pattern`, shared by every rule of
 * policies/secrets.yaml. prepare compiles each rule's PCRE2 patterns with JIT once and builds
 * one keyword prefilter for the whole group; on_text finds in one pass which keywords a file
 * holds and runs only the patterns of the rules they belong to, so most files never reach a
 * regex. A value is never copied into a finding: the finding carries its span for masking. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <fnmatch.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks.h"
#include "secrets_int.h"

#define SECRET_MAX_REGEX 8
#define SECRET_MAX_KEY 80       /* longest key name quoted in a message */
#define SECRET_MAX_PER_FILE 200 /* findings of one rule in one file; the rest are masked */

struct secret_pat {
    const struct rule *rule;
    pcre2_code *re[SECRET_MAX_REGEX];
    long long lines[SECRET_MAX_REGEX]; /* window after a keyword's line; 0: the whole file */
    size_t nre;
    unsigned char *kw_mine; /* [nkws]: 1 for this rule's keywords */
    uint32_t group;         /* capture group holding the value */
    uint32_t key_group;     /* capture group holding the key's name; 0: none */
    double entropy;         /* minimum Shannon entropy of the value, bits per byte */
    long long min_len;
    const char *what;          /* what the value is, for the message */
    struct vec allow;          /* const char*: whole values that are decoys for this rule */
    struct vec skip_paths;     /* const char*: fnmatch globs of paths this rule skips */
    long long rank;            /* run order; above 0: yields to earlier findings */
    unsigned at_match : 1;     /* report at the match's start, not the value's */
    unsigned placeholders : 1; /* apply the placeholder allowlist */
    unsigned needs_digit : 1;  /* a value without a digit is not reported */
    unsigned not_a_word : 1;   /* a plain word is not reported (secrets_is_weak_word) */
    struct vec not_in_match;   /* const char*: a match that contains one is not a secret
                                  (ENCRYPTED in a PEM's armour or headers) */
};

/* A keyword's pair at offset `off` of it, in the prefilter's chains. */
struct kw_entry {
    uint32_t kw, off, next;
};

/* A keyword of the prefilter, lowercase; the rules it enables. */
struct secret_kw {
    char *text;
    size_t len;
    struct vec pats;       /* struct secret_pat* (borrowed) */
    unsigned windowed : 1; /* some regex of its rules runs in windows around each hit */
};

struct secret_state {
    struct secret_pat *pats;
    size_t npats;
    struct secret_kw *kws;
    size_t nkws;
    /* The prefilter looks at every other byte pair of the file. A keyword (3 bytes or more)
     * at p covers the pairs at p + q and p + q + 1, one of which is looked at, so both are
     * entered, with q chosen where the keyword's pairs are rare in text: `pairs` says
     * whether any entry has a (case-folded) pair, `head` chains the entries (index + 1). */
    uint64_t pairs[65536 / 64];
    uint32_t head[65536];
    struct kw_entry *ents;
    size_t nents;
    uint32_t max_groups;
    pcre2_match_context *mctx;
};

/* ASCII lowercase of a byte; other bytes unchanged. */
static inline unsigned lower(unsigned c)
{
    return c - 'A' < 26u ? c + 32 : c;
}

/* The prefilter's key for the two bytes at d: 0x20 set in each, so letters fold to
 * lowercase (other bytes may collide, which only costs a comparison). */
static inline unsigned pair_key(const unsigned char *d)
{
    return (unsigned)(d[0] | 0x20) << 8 | (unsigned)(d[1] | 0x20);
}

/* Letter pairs frequent in English prose and configuration keys. */
static const char common_pairs[] =
    "th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io "
    "le ve co me de hi ri ro ic ne ea ra ce li ch ll be ma si om ur ge ac ag ap ct el em et "
    "id il im ir ke la lo mi na ni no nc ol op os ot ow pa pe pl po pr rs rt sa sc so ss ta "
    "tr ts ul un us ut wa we wi ";

/* How often the pair at t is expected in text: 2 common, 1 other letters, 0 otherwise. */
static int pair_cost(const char *t)
{
    if (t[0] == ' ' || t[1] == ' ')
        return 2;
    if (t[0] < 'a' || t[0] > 'z' || t[1] < 'a' || t[1] > 'z')
        return 0;
    for (const char *c = common_pairs; *c; c += 3)
        if (c[0] == t[0] && c[1] == t[1])
            return 2;
    return 1;
}

/* Where in a keyword (lowercase, 3 bytes or more) the prefilter anchors: the offset q of
 * the two adjacent pairs (q, q + 1) least expected in text. */
static uint32_t kw_anchor(const char *text, size_t n)
{
    uint32_t best = 0;
    int best_cost = 5;
    for (uint32_t q = 0; q + 2 < n; q++) {
        int cost = pair_cost(text + q) + pair_cost(text + q + 1);
        if (cost < best_cost) {
            best_cost = cost;
            best = q;
        }
    }
    return best;
}

/* ---- prepare ---- */

static int param_strings(struct vec *out, const struct rule *r, const char *key, struct errbuf *err)
{
    const struct ynode *n = lint_param(r, key);
    if (!n)
        return 0;
    if (yml_str(n)) {
        vec_push(out, (void *)n->s);
        return 0;
    }
    for (size_t i = 0; yml_is_seq(n) && i < n->len; i++) {
        const char *s = yml_str(n->items[i]);
        if (!s) {
            errbuf_set(err, "%s:%d: rule %s: '%s' must be a list of strings", r->source,
                       n->items[i]->line, r->id, key);
            return -1;
        }
        vec_push(out, (void *)s);
    }
    if (!yml_is_seq(n)) {
        errbuf_set(err, "%s:%d: rule %s: '%s' must be a string or a list of strings", r->source,
                   n->line, r->id, key);
        return -1;
    }
    return 0;
}

static int param_flag(const struct rule *r, const char *key, int def)
{
    int b = yml_bool(lint_param(r, key));
    return b < 0 ? def : b;
}

static int pat_compile(struct secret_state *st, struct secret_pat *p, const char *src,
                       long long lines, struct errbuf *err)
{
    const struct rule *r = p->rule;
    int ec;
    PCRE2_SIZE eoff;
    if (p->nre == SECRET_MAX_REGEX) {
        errbuf_set(err, "%s:%d: rule %s: at most %d regexes", r->source, r->line, r->id,
                   SECRET_MAX_REGEX);
        return -1;
    }
    pcre2_code *re =
        pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED, PCRE2_MULTILINE, &ec, &eoff, NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof(msg));
        errbuf_set(err, "%s:%d: rule %s: bad regex at offset %zu: %s", r->source, r->line, r->id,
                   (size_t)eoff, (const char *)msg);
        return -1;
    }
    /* Without JIT (an unusual build of PCRE2) the interpreter still gives the same answers. */
    (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    uint32_t groups = 0;
    pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &groups);
    p->lines[p->nre] = lines;
    p->re[p->nre++] = re;
    if (p->group > groups || p->key_group > groups) {
        errbuf_set(err,
                   "%s:%d: rule %s: regex '%s' has %u groups, fewer than 'group' or "
                   "'key-group'",
                   r->source, r->line, r->id, src, groups);
        return -1;
    }
    if (groups > st->max_groups)
        st->max_groups = groups;
    return 0;
}

static int kw_add(struct secret_state *st, struct vec *kwv, const char *text, struct secret_pat *p,
                  struct errbuf *err)
{
    size_t n = strlen(text);
    if (n < 3) {
        errbuf_set(err, "%s:%d: rule %s: keyword '%s' is shorter than 3 bytes", p->rule->source,
                   p->rule->line, p->rule->id, text);
        return -1;
    }
    char *low = xstrdup(text);
    for (size_t i = 0; i < n; i++)
        low[i] = (char)lower((unsigned char)low[i]);
    for (size_t i = 0; i < kwv->len; i++) {
        struct secret_kw *k = kwv->items[i];
        if (strcmp(k->text, low) == 0) {
            vec_push(&k->pats, p);
            free(low);
            return 0;
        }
    }
    struct secret_kw *k = xcalloc(1, sizeof(*k));
    k->text = low;
    k->len = n;
    vec_push(&k->pats, p);
    vec_push(kwv, k);
    (void)st;
    return 0;
}

static int pat_prepare(struct secret_state *st, struct vec *kwv, struct secret_pat *p,
                       struct errbuf *err)
{
    const struct rule *r = p->rule;
    struct vec regexes = VEC_INIT, windows = VEC_INIT, keywords = VEC_INIT;
    int rc = -1;
    p->group = (uint32_t)lint_param_int(r, "group", 0);
    p->key_group = (uint32_t)lint_param_int(r, "key-group", 0);
    p->min_len = lint_param_int(r, "min-length", 1);
    p->what = lint_param_str(r, "what", r->title);
    const char *ent = lint_param_str(r, "entropy", NULL);
    p->entropy = ent ? strtod(ent, NULL) : 0.0;
    p->rank = lint_param_int(r, "rank", 0);
    p->at_match = strcmp(lint_param_str(r, "report-at", "value"), "match") == 0;
    p->placeholders = (unsigned)param_flag(r, "placeholders", 1);
    p->needs_digit = (unsigned)param_flag(r, "needs-digit", 0);
    p->not_a_word = (unsigned)param_flag(r, "not-a-word", 0);
    long long lines = lint_param_int(r, "lines", 0);
    const struct ynode *rx = lint_param(r, "regex");
    if (yml_str(rx)) {
        vec_push(&regexes, (void *)rx->s);
        vec_push(&windows, (void *)(intptr_t)lines);
    }
    for (size_t i = 0; yml_is_seq(rx) && i < rx->len; i++) {
        const struct ynode *it = rx->items[i];
        long long l = lines;
        if (yml_is_map(it)) {
            (void)yml_int(yml_get(it, "lines"), &l);
            it = yml_get(it, "regex");
        }
        if (!yml_str(it)) {
            errbuf_set(err, "%s:%d: rule %s: each regex is a string or {regex, lines}", r->source,
                       rx->items[i]->line, r->id);
            goto out;
        }
        vec_push(&regexes, (void *)it->s);
        vec_push(&windows, (void *)(intptr_t)l);
    }
    if (param_strings(&keywords, r, "keywords", err) != 0 ||
        param_strings(&p->allow, r, "allow", err) != 0 ||
        param_strings(&p->skip_paths, r, "skip-paths", err) != 0 ||
        param_strings(&p->not_in_match, r, "not-in-match", err) != 0)
        goto out;
    if (!regexes.len || !keywords.len) {
        errbuf_set(err, "%s:%d: rule %s: secret-pattern needs 'regex' and 'keywords'", r->source,
                   r->line, r->id);
        goto out;
    }
    for (size_t i = 0; i < regexes.len; i++)
        if (pat_compile(st, p, regexes.items[i], (long long)(intptr_t)windows.items[i], err) != 0)
            goto out;
    for (size_t i = 0; i < keywords.len; i++)
        if (kw_add(st, kwv, keywords.items[i], p, err) != 0)
            goto out;
    rc = 0;
out:
    vec_release(&regexes);
    vec_release(&windows);
    vec_release(&keywords);
    return rc;
}

static void secrets_release(struct check_group *g)
{
    struct secret_state *st = g->state;
    if (!st)
        return;
    for (size_t i = 0; i < st->npats; i++) {
        struct secret_pat *p = &st->pats[i];
        for (size_t j = 0; j < p->nre; j++)
            pcre2_code_free(p->re[j]);
        vec_release(&p->allow);
        vec_release(&p->skip_paths);
        vec_release(&p->not_in_match);
        free(p->kw_mine);
    }
    for (size_t i = 0; i < st->nkws; i++) {
        free(st->kws[i].text);
        vec_release(&st->kws[i].pats);
    }
    pcre2_match_context_free(st->mctx);
    free(st->ents);
    free(st->pats);
    free(st->kws);
    free(st);
    g->state = NULL;
}

/* Specific rules first (rank 0), then the generic ones by rank, each rank by id. */
static int pat_order(const struct rule *a, const struct rule *b)
{
    long long ra = lint_param_int(a, "rank", 0), rb = lint_param_int(b, "rank", 0);
    return ra != rb ? (ra < rb ? -1 : 1) : strcmp(a->id, b->id);
}

static int rule_cmp(const void *a, const void *b)
{
    return pat_order(*(const struct rule *const *)a, *(const struct rule *const *)b);
}

static int secrets_prepare(struct check_group *g, struct errbuf *err)
{
    struct secret_state *st = xcalloc(1, sizeof(*st));
    struct vec kwv = VEC_INIT, rules = VEC_INIT;
    g->state = st;
    st->mctx = pcre2_match_context_create(NULL);
    /* A pathological file must not stall the scan: bound the work of one match. */
    pcre2_set_match_limit(st->mctx, 1000000);
    pcre2_set_depth_limit(st->mctx, 10000);
    for (size_t i = 0; i < g->rules.len; i++)
        vec_push(&rules, g->rules.items[i]);
    vec_sort(&rules, rule_cmp);
    st->pats = xcalloc(rules.len ? rules.len : 1, sizeof(*st->pats));
    for (size_t i = 0; i < rules.len; i++) {
        struct secret_pat *p = &st->pats[st->npats++];
        p->rule = rules.items[i];
        if (pat_prepare(st, &kwv, p, err) != 0)
            break;
    }
    st->nkws = kwv.len;
    st->kws = xcalloc(kwv.len ? kwv.len : 1, sizeof(*st->kws));
    st->ents = xcalloc(2 * kwv.len + 1, sizeof(*st->ents));
    for (size_t i = 0; i < kwv.len; i++) {
        struct secret_kw *k = kwv.items[i];
        st->kws[i] = *k;
        free(k);
        uint32_t q = kw_anchor(st->kws[i].text, st->kws[i].len);
        for (uint32_t off = q; off < q + 2; off++) {
            unsigned h = pair_key((const unsigned char *)st->kws[i].text + off);
            st->ents[st->nents] = (struct kw_entry){(uint32_t)i, off, st->head[h]};
            st->head[h] = (uint32_t)++st->nents;
            st->pairs[h / 64] |= 1ull << (h % 64);
        }
    }
    for (size_t j = 0; j < st->npats; j++) {
        struct secret_pat *p = &st->pats[j];
        int windowed = 0;
        for (size_t r = 0; r < p->nre; r++)
            windowed |= p->lines[r] > 0;
        p->kw_mine = xcalloc(st->nkws ? st->nkws : 1, 1);
        for (size_t i = 0; i < st->nkws; i++)
            for (size_t k = 0; k < st->kws[i].pats.len; k++)
                if (st->kws[i].pats.items[k] == p) {
                    p->kw_mine[i] = 1;
                    st->kws[i].windowed |= (unsigned)windowed;
                }
    }
    vec_release(&kwv);
    vec_release(&rules);
    if (err->set) {
        secrets_release(g);
        return -1;
    }
    return 0;
}

/* ---- scanning one file ---- */

struct span {
    const struct secret_pat *pat;
    size_t start, end;
};

/* Where a keyword of a windowed rule occurs. */
struct hit {
    uint32_t kw;
    size_t off;
};

struct secret_scan {
    struct lint_ctx *ctx;
    const struct secret_state *st;
    unsigned *reported; /* [npats]: findings so far of each rule in this file */
    struct hit *hits;   /* in file order */
    size_t nhits, caphits;
    const char *data;
    size_t len;
    size_t line_off; /* offset of the start of line `line_no` */
    int line_no;
    struct span *spans; /* values reported in this file */
    size_t nspans, capspans;
    int code;           /* program source: assignments need a quoted value */
    size_t sealed[8][2];/* [start, end) of SealedSecret documents: ciphertext only */
    size_t nsealed;
};

/* The YAML documents of kind SealedSecret in the file: what they hold is ciphertext, which a
 * pattern may match by chance but is never a secret in the clear. */
static void sealed_find(struct secret_scan *sc)
{
    static const char kind[] = "kind: SealedSecret";
    const char *p = sc->data, *end = sc->data + sc->len;
    while (sc->nsealed < 8 && (p = memmem(p, (size_t)(end - p), kind, sizeof(kind) - 1))) {
        size_t at = (size_t)(p - sc->data), a = at, b = at;
        while (a > 0 && !(a >= 4 && !memcmp(sc->data + a - 4, "\n---", 4)))
            a--;
        const char *next = memmem(p, (size_t)(end - p), "\n---", 4);
        b = next ? (size_t)(next - sc->data) : sc->len;
        sc->sealed[sc->nsealed][0] = a;
        sc->sealed[sc->nsealed][1] = b;
        sc->nsealed++;
        p = sc->data + b;
    }
}

static int in_sealed(const struct secret_scan *sc, size_t off)
{
    for (size_t i = 0; i < sc->nsealed; i++)
        if (off >= sc->sealed[i][0] && off < sc->sealed[i][1])
            return 1;
    return 0;
}

/* Keyword `k` at offset i, if it is there: enables its rules and records the hit. */
static void keyword_at(const struct secret_state *st, struct secret_scan *sc, size_t i, uint32_t k,
                       unsigned char *kw_seen, unsigned char *on)
{
    const unsigned char *d = (const unsigned char *)sc->data;
    const struct secret_kw *kw = &st->kws[k];
    if ((kw_seen[k] && !kw->windowed) || kw->len > sc->len - i)
        return;
    for (size_t j = 0; j < kw->len; j++)
        if (lower(d[i + j]) != (unsigned char)kw->text[j])
            return;
    if (kw->windowed) {
        if (sc->nhits == sc->caphits) {
            sc->caphits = sc->caphits ? 2 * sc->caphits : 16;
            sc->hits = xrealloc(sc->hits, sc->caphits * sizeof(*sc->hits));
        }
        sc->hits[sc->nhits++] = (struct hit){k, i};
    }
    if (kw_seen[k])
        return;
    kw_seen[k] = 1;
    for (size_t p = 0; p < kw->pats.len; p++)
        on[(const struct secret_pat *)kw->pats.items[p] - st->pats] = 1;
}

/* Marks in `on` every rule whose keywords occur in the data, and records where the keywords
 * of windowed rules occur: one pass over every other byte pair, a bit test each. */
static void keywords_find(const struct secret_state *st, struct secret_scan *sc,
                          unsigned char *kw_seen, unsigned char *on)
{
    const unsigned char *d = (const unsigned char *)sc->data;
    for (size_t i = 0; i + 1 < sc->len; i += 2) {
        unsigned h = pair_key(d + i);
        if (!(st->pairs[h / 64] & (1ull << (h % 64))))
            continue;
        for (uint32_t e = st->head[h]; e; e = st->ents[e - 1].next) {
            const struct kw_entry *en = &st->ents[e - 1];
            if (i >= en->off)
                keyword_at(st, sc, i - en->off, en->kw, kw_seen, on);
        }
    }
}

/* Line and 1-based column of byte `off`; offsets of one regex come in increasing order, so
 * the scan keeps a cursor and restarts only when asked about an earlier offset. */
static void position(struct secret_scan *sc, size_t off, int *line, int *col)
{
    if (off < sc->line_off) {
        sc->line_off = 0;
        sc->line_no = 1;
    }
    for (;;) {
        const char *nl = memchr(sc->data + sc->line_off, '\n', off - sc->line_off);
        if (!nl)
            break;
        sc->line_off = (size_t)(nl - sc->data) + 1;
        sc->line_no++;
    }
    *line = sc->line_no;
    *col = (int)(off - sc->line_off) + 1;
}

static int overlaps(const struct secret_scan *sc, const struct secret_pat *p, size_t a, size_t b)
{
    for (size_t i = 0; i < sc->nspans; i++) {
        const struct span *s = &sc->spans[i];
        if (a < s->end && s->start < b && (p->rank > 0 || s->pat == p))
            return 1;
    }
    return 0;
}

static int has_digit(const char *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] >= '0' && v[i] <= '9')
            return 1;
    return 0;
}

static int value_allowed(const struct secret_pat *p, const char *v, size_t n)
{
    if ((long long)n < p->min_len)
        return 1;
    if (p->placeholders && secrets_is_placeholder(v, n))
        return 1;
    if (p->needs_digit && !has_digit(v, n))
        return 1;
    if (p->not_a_word && secrets_is_weak_word(v, n))
        return 1;
    for (size_t i = 0; i < p->allow.len; i++) {
        const char *a = p->allow.items[i];
        if (strlen(a) == n && strncasecmp(a, v, n) == 0)
            return 1;
    }
    return p->entropy > 0 && secrets_entropy(v, n) < p->entropy;
}

/* In program source an assignment's unquoted right-hand side is an expression (a default
 * of None, an argument, a type annotation), never a committed literal. */
static int unquoted_in_code(const struct secret_scan *sc, const struct secret_pat *p, size_t a)
{
    if (!p->key_group || !sc->code)
        return 0;
    return a == 0 || (sc->data[a - 1] != '"' && sc->data[a - 1] != '\'' &&
                      sc->data[a - 1] != '`');
}

/* 1 for the bytes of an AWS secret access key (40 of base64's alphabet). */
static int aws_secret_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '/' || c == '+';
}

/* An access key id travels with its secret key: a 40-byte token of the secret's alphabet
 * within three lines of the id is that key, whatever its name says, and is masked with it
 * even when no rule reports it (a key named `aws_key2`, a CSV of credentials). */
static void aws_neighbour_mask(struct secret_scan *sc, size_t at)
{
    size_t from = at, to = at;
    for (int n = 0; n < 4 && from > 0; from--)
        n += sc->data[from - 1] == '\n';
    for (int n = 0; n < 4 && to < sc->len; to++)
        n += sc->data[to] == '\n';
    size_t run = 0;
    for (size_t i = from; i <= to; i++) {
        if (i < to && aws_secret_byte((unsigned char)sc->data[i])) {
            run++;
            continue;
        }
        if (run == 40)
            redact_add(sc->ctx->model->secrets, sc->data + i - run, run);
        run = 0;
    }
}

static void candidate(struct secret_scan *sc, const struct secret_pat *p, const PCRE2_SIZE *ov)
{
    size_t a = ov[2 * p->group], b = ov[2 * p->group + 1];
    if (a == PCRE2_UNSET || b < a)
        return;
    if (value_allowed(p, sc->data + a, b - a) || overlaps(sc, p, a, b) ||
        unquoted_in_code(sc, p, a) || in_sealed(sc, a))
        return;
    for (size_t i = 0; i < p->not_in_match.len; i++) {
        const char *w = p->not_in_match.items[i];
        if (memmem(sc->data + ov[0], ov[1] - ov[0], w, strlen(w)))
            return;
    }
    /* The whole value is masked in every output, all its lines (a PEM body) included, and
     * past the cap on findings too: a dump of 250 keys shows none of them. */
    redact_add(sc->ctx->model->secrets, sc->data + a, b - a);
    if (strcmp(p->rule->id, "secret-aws-access-key") == 0)
        aws_neighbour_mask(sc, a);
    if (sc->reported[p - sc->st->pats] >= SECRET_MAX_PER_FILE)
        return;
    sc->reported[p - sc->st->pats]++;
    if (sc->nspans == sc->capspans) {
        sc->capspans = sc->capspans ? 2 * sc->capspans : 8;
        sc->spans = xrealloc(sc->spans, sc->capspans * sizeof(*sc->spans));
    }
    sc->spans[sc->nspans++] = (struct span){p, a, b};

    int line, col, vline, vcol;
    position(sc, p->at_match ? ov[0] : a, &line, &col);
    position(sc, a, &vline, &vcol);
    char key[SECRET_MAX_KEY + 1] = "";
    if (p->key_group && ov[2 * p->key_group] != PCRE2_UNSET) {
        size_t kn = ov[2 * p->key_group + 1] - ov[2 * p->key_group];
        if (kn > SECRET_MAX_KEY)
            kn = SECRET_MAX_KEY;
        memcpy(key, sc->data + ov[2 * p->key_group], kn);
        key[kn] = '\0';
    }
    struct finding *f = lint_report_rule(sc->ctx, p->rule, line, col, key[0] ? key : NULL,
                                         key[0] ? "%s in '%s' is committed in plain text"
                                                : "%s%s is committed in plain text",
                                         p->what, key);
    if (vline == line) {
        /* Mask the value up to the end of its line (a PEM body goes on for many lines). */
        const char *nl = memchr(sc->data + a, '\n', b - a);
        size_t n = nl ? (size_t)(nl - (sc->data + a)) : b - a;
        f->mask_col = vcol;
        f->mask_len = (int)(n ? n : 1);
    }
}

/* Runs one regex over [from, to) of the file; `to` is a line end or the end of the file. */
static void re_run(struct secret_scan *sc, const struct secret_pat *p, const pcre2_code *re,
                   size_t from, size_t to, pcre2_match_data *md, pcre2_match_context *mctx)
{
    PCRE2_SIZE off = from;
    uint32_t opts = 0;
    while (off <= to) {
        int rc = pcre2_match(re, (PCRE2_SPTR)sc->data, to, off, opts, md, mctx);
        if (rc == PCRE2_ERROR_JIT_STACKLIMIT && !(opts & PCRE2_NO_JIT)) {
            opts |= PCRE2_NO_JIT; /* the interpreter has no such limit: retry there */
            continue;
        }
        if (rc < 0)
            break; /* no (more) match, or the match limit on hostile input */
        const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        candidate(sc, p, ov);
        off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
    }
}

/* End of the line `n` lines after the one holding `off` (exclusive of its newline). */
static size_t lines_end(const struct secret_scan *sc, size_t off, long long n)
{
    const char *p = sc->data + off, *end = sc->data + sc->len;
    for (;;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return sc->len;
        if (n-- <= 0)
            return (size_t)(nl - sc->data);
        p = nl + 1;
    }
}

/* A rule's regexes over the whole file, or over windows that start at the line of each of its
 * keywords' hits and run `lines` lines further (merged when they overlap). */
static void pat_run(struct secret_scan *sc, const struct secret_pat *p, pcre2_match_data *md,
                    pcre2_match_context *mctx)
{
    for (size_t r = 0; r < p->nre; r++) {
        if (p->lines[r] <= 0) {
            re_run(sc, p, p->re[r], 0, sc->len, md, mctx);
            continue;
        }
        size_t ws = 0, we = 0, line_end = 0;
        int open = 0;
        for (size_t i = 0; i < sc->nhits; i++) {
            if (!p->kw_mine[sc->hits[i].kw])
                continue;
            size_t off = sc->hits[i].off;
            if (open && off < line_end)
                continue; /* on the line of the previous hit: the same window */
            /* Each line is measured once, so a long line full of hits stays linear. */
            size_t s = off;
            while (s > line_end && sc->data[s - 1] != '\n')
                s--;
            const char *nl = memchr(sc->data + off, '\n', sc->len - off);
            line_end = nl ? (size_t)(nl - sc->data) : sc->len;
            size_t e = lines_end(sc, line_end, p->lines[r] - 1);
            if (open && s <= we + 1) {
                we = e > we ? e : we;
                continue;
            }
            if (open)
                re_run(sc, p, p->re[r], ws, we, md, mctx);
            ws = s;
            we = e;
            open = 1;
        }
        if (open)
            re_run(sc, p, p->re[r], ws, we, md, mctx);
    }
}

static int path_skipped(const struct secret_pat *p, const char *path)
{
    for (size_t i = 0; i < p->skip_paths.len; i++)
        if (fnmatch(p->skip_paths.items[i], path, 0) == 0)
            return 1;
    return 0;
}

static void secrets_on_text(struct lint_ctx *ctx, const char *data, size_t len)
{
    const struct secret_state *st = ctx->group->state;
    const char *path = ctx->unit->file->path;
    if (!st || !len || secrets_path_skipped(path))
        return;
    unsigned char *kw_seen = xcalloc(st->nkws + st->npats, 1);
    unsigned char *on = kw_seen + st->nkws;
    pcre2_match_data *md = NULL;
    unsigned *reported = xcalloc(st->npats + 1, sizeof(*reported));
    struct secret_scan sc = {
        .ctx = ctx, .st = st, .reported = reported, .data = data, .len = len, .line_no = 1};
    sc.code = secrets_path_is_code(path);
    sealed_find(&sc);
    keywords_find(st, &sc, kw_seen, on);
    for (size_t i = 0; i < st->npats; i++) {
        const struct secret_pat *p = &st->pats[i];
        if (!on[i] || path_skipped(p, path))
            continue;
        if (!md)
            md = pcre2_match_data_create(st->max_groups + 1, NULL);
        pat_run(&sc, p, md, st->mctx);
    }
    pcre2_match_data_free(md);
    free(sc.hits);
    free(sc.spans);
    free(reported);
    free(kw_seen);
}

const struct check_def lint_checks_secrets[] = {
    {.name = "secret-pattern",
     .kinds = 0,
     .prepare = secrets_prepare,
     .on_text = secrets_on_text,
     .release = secrets_release},
    {0},
};
