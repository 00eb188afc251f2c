/* The linker: runs once after every file is loaded and joins entities across files. Each
 * step reads the units' entities and records what it learns on them. */
#include "model.h"
#include "tf.h"

void model_link(struct model *m)
{
    tf_link(m);
}
