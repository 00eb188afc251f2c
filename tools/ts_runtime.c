/* The tree-sitter runtime (fetched from npm, see the Makefile) as opsbook compiles it: the
 * runtime's own single-file build (lib.c), file by file, with two changes for trees that one
 * thread parses, reads once and deletes (parse/hcl.c).
 *
 * Reference counts. The runtime counts references to a tree's nodes with atomic
 * read-modify-writes, so that a tree may be shared between threads. opsbook never shares
 * one: each thread has its own parser, and every tree is deleted by the thread that parsed
 * it. The locked instructions were a tenth of a whole scan's time, so here the counts are
 * plain increments and decrements (what the runtime itself does when built by tcc).
 *
 * No balancing. A parse ends with a pass over the whole finished tree that rebalances the
 * hidden nodes a repetition builds, so that later edits and re-parses of the tree stay
 * cheap. Nothing edits opsbook's trees, and the visible nodes, the only ones the API shows,
 * are the same either way; the pass took a twelfth of a whole scan's time. The Makefile
 * builds ts_parser_oneshot.c from the runtime's parser.c with that pass switched off.
 *
 * The benchmark's floor links the runtime as it comes. */
#define __atomic_add_fetch(p, v, order) (*(p) += (v))
#define __atomic_sub_fetch(p, v, order) (*(p) -= (v))

#include "alloc.c"
#include "get_changed_ranges.c"
#include "language.c"
#include "lexer.c"
#include "node.c"
#include "ts_parser_oneshot.c"
#include "query.c"
#include "stack.c"
#include "subtree.c"
#include "tree_cursor.c"
#include "tree.c"
#include "wasm_store.c"
