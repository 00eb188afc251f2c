/* The benchmark's dependency floor: one walk over a tree, every file of a kind a parser
 * library handles read once and handed to that parser bare — libyaml events for .yaml/.yml,
 * tree-sitter HCL for .tf, cmark-gfm (with the GFM extensions opsbook attaches) for .md —
 * the result freed unread. No model, no checks: what any tool built on these libraries must
 * at least spend. `make bench` times the whole process (CPU seconds) and sets opsbook's scan
 * beside it; the per-parser CPU seconds printed here show where the floor goes.
 * usage: floor DIR */
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <tree_sitter/api.h>
#include <unistd.h>
#include <yaml.h>

const TSLanguage *tree_sitter_hcl(void);

enum parser { P_YAML, P_HCL, P_MARKDOWN, P_COUNT };
static const char *const parser_names[P_COUNT] = {"libyaml", "tree-sitter", "cmark-gfm"};

struct floor {
    TSParser *ts;
    size_t files[P_COUNT], bytes[P_COUNT];
    double seconds[P_COUNT];
    char *buf;
    size_t cap;
};

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int parser_of(const char *name, enum parser *out)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return 0;
    if (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0)
        *out = P_YAML;
    else if (strcmp(dot, ".tf") == 0)
        *out = P_HCL;
    else if (strcmp(dot, ".md") == 0 || strcmp(dot, ".markdown") == 0)
        *out = P_MARKDOWN;
    else
        return 0;
    return 1;
}

static void parse_yaml(const char *data, size_t len)
{
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev))
            break;
        int done = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
        if (done)
            break;
    }
    yaml_parser_delete(&parser);
}

static void parse_markdown(const char *data, size_t len)
{
    cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
    static const char *const exts[] = {"table", "autolink", "strikethrough", "tasklist"};
    for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
        cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
        if (e)
            cmark_parser_attach_syntax_extension(p, e);
    }
    cmark_parser_feed(p, data, len);
    cmark_node_free(cmark_parser_finish(p));
    cmark_parser_free(p);
}

static void parse_file(struct floor *fl, const char *path, enum parser which)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return;
    }
    size_t want = (size_t)st.st_size, len = 0;
    if (want + 1 > fl->cap) {
        fl->cap = want + 1;
        fl->buf = realloc(fl->buf, fl->cap);
        if (!fl->buf)
            abort();
    }
    ssize_t n;
    while (len < want && (n = read(fd, fl->buf + len, want - len)) > 0)
        len += (size_t)n;
    close(fd);
    fl->buf[len] = '\0';
    double t0 = cpu_now();
    if (which == P_YAML) {
        parse_yaml(fl->buf, len);
    } else if (which == P_HCL) {
        ts_tree_delete(ts_parser_parse_string(fl->ts, NULL, fl->buf, (uint32_t)len));
    } else {
        parse_markdown(fl->buf, len);
    }
    fl->seconds[which] += cpu_now() - t0;
    fl->files[which]++;
    fl->bytes[which] += len;
}

static void walk(struct floor *fl, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
            strcmp(de->d_name, ".git") == 0)
            continue;
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        enum parser which;
        if (de->d_type == DT_DIR)
            walk(fl, path);
        else if (de->d_type == DT_REG && parser_of(de->d_name, &which))
            parse_file(fl, path, which);
    }
    closedir(d);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: floor DIR\n");
        return 2;
    }
    struct floor fl = {0};
    fl.ts = ts_parser_new();
    if (!ts_parser_set_language(fl.ts, tree_sitter_hcl())) {
        fprintf(stderr, "floor: the HCL grammar's ABI does not match the runtime\n");
        return 2;
    }
    cmark_gfm_core_extensions_ensure_registered();
    walk(&fl, argv[1]);
    ts_parser_delete(fl.ts);
    free(fl.buf);
    for (int i = 0; i < P_COUNT; i++)
        printf("%s %zu files %zu bytes %.3f s\n", parser_names[i], fl.files[i], fl.bytes[i],
               fl.seconds[i]);
    return 0;
}
