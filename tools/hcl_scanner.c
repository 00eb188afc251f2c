/* The HCL grammar's external scanner (fetched from npm, see the Makefile), compiled so that
 * its allocations go through tree-sitter's allocator hooks like the runtime's own: the
 * scanner calls malloc, calloc, realloc and free directly, about once per token, and opsbook
 * gives tree-sitter its slab allocator (parse/hcl.c). Programs that set no allocator (the
 * benchmark's floor) get tree-sitter's defaults, which are the C library's functions. */
#include <stdlib.h>

extern void *(*ts_current_malloc)(size_t);
extern void *(*ts_current_calloc)(size_t, size_t);
extern void *(*ts_current_realloc)(void *, size_t);
extern void (*ts_current_free)(void *);

#define malloc(n) ts_current_malloc(n)
#define calloc(c, n) ts_current_calloc((c), (n))
#define realloc(p, n) ts_current_realloc((p), (n))
#define free(p) ts_current_free(p)

#include "scanner.c"
