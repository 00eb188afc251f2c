/* tsfloor: the benchmark's tree-sitter floor. Parses every .tf file under the given
 * directories with the bare tree-sitter HCL parser (no model, no checks) and prints how many
 * files and bytes it read and how long parsing took, so `make bench` can set opsbook's
 * Terraform time beside what the parser alone costs. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_hcl(void);

struct floor_stats {
    size_t files, bytes, errors;
    double seconds;
};

/* CPU time of the process: on a shared machine wall time measures the neighbours. */
static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void parse_file(TSParser *p, const char *path, struct floor_stats *st)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    char *buf = NULL;
    size_t len = 0, cap = 0, n;
    char chunk[65536];
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (len + n > cap) {
            cap = (len + n) * 2;
            buf = realloc(buf, cap);
            if (!buf)
                abort();
        }
        memcpy(buf + len, chunk, n);
        len += n;
    }
    fclose(f);
    double t0 = now();
    TSTree *tree = ts_parser_parse_string(p, NULL, buf ? buf : "", (uint32_t)len);
    if (tree && ts_node_has_error(ts_tree_root_node(tree)))
        st->errors++;
    ts_tree_delete(tree);
    st->seconds += now() - t0;
    st->files++;
    st->bytes += len;
    free(buf);
}

static void walk(TSParser *p, const char *dir, struct floor_stats *st)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
            strcmp(de->d_name, ".git") == 0)
            continue;
        char *path = NULL;
        if (asprintf(&path, "%s/%s", dir, de->d_name) < 0)
            abort();
        struct stat sb;
        if (lstat(path, &sb) == 0) {
            size_t nl = strlen(de->d_name);
            if (S_ISDIR(sb.st_mode))
                walk(p, path, st);
            else if (S_ISREG(sb.st_mode) && nl > 3 && strcmp(de->d_name + nl - 3, ".tf") == 0)
                parse_file(p, path, st);
        }
        free(path);
    }
    closedir(d);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: tsfloor DIR...\n");
        return 2;
    }
    TSParser *p = ts_parser_new();
    if (!ts_parser_set_language(p, tree_sitter_hcl())) {
        fprintf(stderr, "tsfloor: the HCL grammar's ABI does not match the runtime\n");
        return 2;
    }
    struct floor_stats st = {0, 0, 0, 0};
    for (int i = 1; i < argc; i++)
        walk(p, argv[i], &st);
    ts_parser_delete(p);
    printf("tree-sitter floor: %zu .tf files, %zu bytes, %.4f s CPU parsing (%.1f MB/s), %zu with "
           "syntax errors\n",
           st.files, st.bytes, st.seconds,
           st.seconds > 0 ? (double)st.bytes / 1e6 / st.seconds : 0.0, st.errors);
    return 0;
}
