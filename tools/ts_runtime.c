/* The tree-sitter runtime (fetched from npm, see the Makefile) as opsbook compiles it. The
 * runtime counts references to a syntax tree's nodes with atomic read-modify-writes, so that
 * a tree may be shared between threads. opsbook never shares one: each thread has its own
 * parser, and every tree is deleted by the thread that parsed it (parse/hcl.c). The locked
 * instructions were a tenth of a whole scan's time, so here the counts are plain increments
 * and decrements (what the runtime itself does when built by tcc). The benchmark's floor
 * links the runtime as it comes. */
#define __atomic_add_fetch(p, v, order) (*(p) += (v))
#define __atomic_sub_fetch(p, v, order) (*(p) -= (v))

#include "lib.c"
