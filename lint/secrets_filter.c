/* Value filters of the secrets scanner: entropy, the placeholder allowlist and the path
 * allowlist. A pattern finds something shaped like a secret; these decide whether it is a
 * literal someone committed or a reference, a template or a documented example. */
#include "secrets_int.h"

#include <fnmatch.h>
#include <math.h>
#include <string.h>

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
    /* Interpolations and references: a value that starts with one is never a literal. */
    if (strchr("$&*|>!<[{%", s[0]))
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
