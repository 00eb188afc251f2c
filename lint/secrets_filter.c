/* Value filters of the secrets scanner: entropy, the placeholder allowlist and the path
 * allowlist. A pattern finds something shaped like a secret; these decide whether it is a
 * literal someone committed or a reference, a template or a documented example. */
#include "secrets_int.h"

#include <fnmatch.h>
#include <math.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"

double secrets_entropy(const char *s, size_t n)
{
    if (n == 0)
        return 0.0;
    size_t counts[256] = {0};
    for (size_t i = 0; i < n; i++)
        counts[(unsigned char)s[i]]++;
    double h = 0.0;
    for (int c = 0; c < 256; c++) {
        if (!counts[c])
            continue;
        double p = (double)counts[c] / (double)n;
        h -= p * log2(p);
    }
    return h;
}

/* Words that mark a value as a stand-in wherever they occur in it (lowercase). */
static const char *const placeholder_words[] = {
    "example",    "changeme", "change_me",    "change-me",   "replaceme", "replace_me",
    "replace-me", "dummy",    "redacted",     "placeholder", "xxxx",      "****",
    "your_",      "your-",    "yourpassword", "...",         "<%",        "{{",
    "${",         "$(",       "%(",           "#{",          "@@",        "insert_",
    "not-a-real", "notreal",  NULL,
};

/* Whole values that are not secrets (lowercase): YAML and language non-values and the
 * names of the thing itself as used in documentation ("user:password@host"). */
static const char *const placeholder_values[] = {
    "true",  "false",     "yes",    "no",       "on",       "off",      "null",  "nil",
    "none",  "undefined", "~",      "password", "passwd",   "pass",     "pwd",   "secret",
    "token", "value",     "string", "empty",    "required", "optional", "<nil>", NULL,
};

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* 1 when the lowercase word `w` occurs in s[0..n) regardless of case. */
static int has_word_icase(const char *s, size_t n, const char *w)
{
    size_t wn = strlen(w);
    if (wn > n)
        return 0;
    for (size_t i = 0; i + wn <= n; i++) {
        size_t k = 0;
        while (k < wn && lower(s[i + k]) == w[k])
            k++;
        if (k == wn)
            return 1;
    }
    return 0;
}

static int equals_icase(const char *s, size_t n, const char *w)
{
    return strlen(w) == n && has_word_icase(s, n, w);
}

int secrets_is_placeholder(const char *s, size_t n)
{
    if (n == 0)
        return 1;
    /* Interpolations and references: a value that starts with one is never a literal; nor
     * one that holds `#(…)` (CUE, Timoni) or `${…}` anywhere. */
    if (strchr("$&*|>!<[{%", s[0]))
        return 1;
    /* Ciphertext is not a secret in the clear: SOPS writes ENC[AES256_GCM,data:…]. */
    if (n > 4 && memcmp(s, "ENC[", 4) == 0)
        return 1;
    for (size_t i = 0; i + 1 < n; i++)
        if ((s[i] == '#' || s[i] == '$') && (s[i + 1] == '(' || s[i + 1] == '{'))
            return 1;
    /* <your-key> anywhere in the value */
    const char *lt = memchr(s, '<', n);
    if (lt && memchr(lt, '>', n - (size_t)(lt - s)))
        return 1;
    for (const char *const *w = placeholder_words; *w; w++)
        if (has_word_icase(s, n, *w))
            return 1;
    for (const char *const *w = placeholder_values; *w; w++)
        if (equals_icase(s, n, *w))
            return 1;
    /* One repeated character ("00000000", "aaaaaaaa") is a mask, not a value. */
    size_t i = 1;
    while (i < n && s[i] == s[0])
        i++;
    return i == n;
}

/* Standard base64 of printable text (a Secret's `data`), decoded into out (cap bytes at most,
 * NUL-terminated). Returns its length, or 0 when `s` is not that. */
static size_t base64_text(char *out, size_t cap, const char *s, size_t n)
{
    static const char alpha[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if (n < 4 || n % 4 || n / 4 * 3 >= cap)
        return 0;
    size_t len = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '=') {
            if (i < n - 2)
                return 0;
            continue;
        }
        const char *c = memchr(alpha, s[i], 64);
        if (!c)
            return 0;
        acc = acc << 6 | (uint32_t)(c - alpha);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            unsigned char b = (unsigned char)(acc >> bits);
            if (b < 0x20 || b > 0x7e)
                return 0;
            out[len++] = (char)b;
        }
    }
    out[len] = '\0';
    return len;
}

int secrets_is_weak_word(const char *s, size_t n)
{
    char dec[256];
    size_t dn = base64_text(dec, sizeof(dec), s, n);
    if (dn) { /* judge what a Secret's data holds, not its encoding */
        s = dec;
        n = dn;
    }
    if (n < 8)
        return 1;
    /* Made-up keys count up: two runs of four ascending characters ("1234", "5678", "abcd")
     * are made up; a random value of 40 characters holds even one about once in a
     * thousand. */
    int runs = 0;
    for (size_t i = 0, len = 1; i + 1 < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int up = (unsigned char)s[i + 1] == c + 1 && isalnum(c);
        len = up ? len + 1 : 1;
        runs += len == 4;
    }
    if (runs >= 2)
        return 1;
    size_t words = 1, camel = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int sep = c == '_' || c == '-' || c == '.';
        if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && !sep)
            return 0;
        words += sep && i + 1 < n && s[i + 1] != c;
        camel += i > 0 && c >= 'A' && c <= 'Z' && s[i - 1] >= 'a' && s[i - 1] <= 'z';
    }
    /* Letters and separators only: a word, a name, a default, unless its case changes inside
     * words as random letters do ("ZFUWdGvIkgTx") or it is a passphrase of three words or
     * more and 20 characters ("orbit-lantern-cactus-mosaic"). */
    return camel < 2 && !(words >= 3 && n >= 20);
}

int secrets_value_plausible(const char *v)
{
    size_t n = v ? strlen(v) : 0;
    if (!n || secrets_is_placeholder(v, n) || secrets_is_weak_word(v, n))
        return 0;
    if (v[0] == '/' || str_startswith(v, "arn:"))
        return 0; /* a mounted file, or the name of a secret in a store */
    return strspn(v, "0123456789") < n; /* a number is a setting */
}

/* Folders and file names of test data: fixtures a test reads, never a live credential. */
static const char *const test_dirs[] = {
    "test", "tests", "testdata", "test-data", "test_data", "fixtures", "__tests__", "spec",
    "__fixtures__", "testing", NULL,
};

int secrets_path_is_test(const char *path)
{
    const char *base = path_base(path);
    if (strstr(base, "_test.") || strstr(base, ".test.") || strstr(base, ".spec.") ||
        str_startswith(base, "test_") || strcmp(base, "test.exs") == 0 ||
        strcmp(base, "conftest.py") == 0)
        return 1;
    for (const char *p = path; *p;) {
        const char *slash = strchr(p, '/');
        if (!slash)
            break;
        for (const char *const *d = test_dirs; *d; d++)
            if ((size_t)(slash - p) == strlen(*d) && strncasecmp(p, *d, (size_t)(slash - p)) == 0)
                return 1;
        p = slash + 1;
    }
    return 0;
}

/* Files full of hashes and integrity strings that look like keys but are not secrets. */
static const char *const skipped_names[] = {
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "go.sum",
    "Cargo.lock",
    "poetry.lock",
    "Pipfile.lock",
    "Gemfile.lock",
    "composer.lock",
    ".terraform.lock.hcl",
    /* secret scanners' own configuration: patterns and allowlisted examples */
    ".gitleaks.toml",
    "gitleaks.toml",
    ".gitleaksignore",
    ".secrets.baseline",
    "*.sum",
    "*.min.js",
    "*.map",
    NULL,
};

/* Extensions of program source, where a literal is always quoted. */
static const char *const code_exts[] = {
    ".py", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".go", ".java", ".kt", ".scala",
    ".rb", ".php", ".cs", ".c", ".h", ".cc", ".cpp", ".hpp", ".rs", ".swift", ".groovy",
    ".lua", ".pl", ".dart", NULL,
};

int secrets_path_is_code(const char *path)
{
    const char *ext = path_ext(path);
    for (const char *const *e = code_exts; *e; e++)
        if (strcmp(ext, *e) == 0)
            return 1;
    return 0;
}

int secrets_path_skipped(const char *path)
{
    const char *base = path_base(path);
    for (const char *const *p = skipped_names; *p; p++)
        if (fnmatch(*p, base, 0) == 0)
            return 1;
    return 0;
}
