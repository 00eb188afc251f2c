/* What the secrets scanner shares inside lint/ (and with its unit tests): the value filters
 * that decide whether a matched value is a real literal or a decoy. */
#ifndef OPSBOOK_LINT_SECRETS_INT_H
#define OPSBOOK_LINT_SECRETS_INT_H

#include <stddef.h>

/* Shannon entropy of the `n` bytes at `s`, in bits per byte (0 for n == 0). */
double secrets_entropy(const char *s, size_t n);

/* 1 when the value is a placeholder or a reference rather than a literal secret: shell,
 * Actions, Helm and Terraform interpolations (`${VAR}`, `$(cmd)`, `${{ secrets.X }}`,
 * `{{ .Values.x }}`), `<your-key>`, words such as changeme, example, dummy, redacted, xxxx,
 * YAML non-values (true, null, a block indicator, an anchor) and values of one repeated
 * character. */
int secrets_is_placeholder(const char *s, size_t n);

/* 1 when a file at `path` (relative, '/' separators) is never scanned for secrets: lock
 * files and checksum lists, whose hashes look like keys. */
/* 1 for program source files (.py, .go, .js, …): assignments there need a quoted value. */
int secrets_path_is_code(const char *path);
/* 1 when a value is too plain to be a password worth reporting: shorter than 8 characters,
 * or letters and separators only ("postgres", "changeit", "astronomy_password") unless a
 * passphrase of 3 words or more and 20 characters, or made up (two runs counting up:
 * "1234", "abcd"). Standard base64 of printable text is judged decoded (a Secret's `data`). */
int secrets_is_weak_word(const char *s, size_t n);
/* 1 when a value given to a key named like a secret could be one: not empty, no placeholder
 * or interpolation, not a plain word (secrets_is_weak_word), not a path, an ARN or a number.
 * The one test every rule about literal secrets in configuration shares. */
int secrets_value_plausible(const char *v);
/* 1 when `path` is test data: a test file (_test.go, .spec.ts, test_x.py) or a file below a
 * folder of tests or fixtures (test/, tests/, testdata/, fixtures/, __tests__/, spec/). */
int secrets_path_is_test(const char *path);
int secrets_path_skipped(const char *path);

#endif
