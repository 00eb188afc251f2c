/* opsbook's command line: subcommands, options and exit codes. Everything a front end other
 * than this one would also need lives in lint/ and render/. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lint/config.h"
#include "lint/lint.h"
#include "render/render.h"
#include "render/site.h"

enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
    "usage: opsbook <command> [options]\n"
    "\n"
    "commands:\n"
    "  scan [PATH...]       model the repository, run the policies, print findings\n"
    "  model [PATH...]      print the linked model (services, environments, edges) as JSON\n"
    "  site [PATH...] -o DIR  scan, then write the HTML runbook site into DIR\n"
    "  rules                list the policy catalogue (id, severity, category, title)\n"
    "  explain RULE         one rule: why it matters, how to fix it, an example\n"
    "  fields               entity types and fields for declarative policy conditions\n"
    "  version              print the version (also -V, --version)\n"
    "\n"
    "scan options:\n"
    "  -f, --format FMT     text (default), json, sarif, github (annotations) or junit\n"
    "  -o, --output FILE    write the report to FILE instead of standard output\n"
    "      --output-FMT FILE  also write format FMT to FILE (--output-sarif, --output-json,\n"
    "                       --output-junit, --output-github, --output-text); repeatable\n"
    "      --diff REF       report only findings on lines added or changed since REF\n"
    "      --history        scan every blob Git history added (secrets), with commits\n"
    "      --since REF      with --history: only commits not reachable from REF\n"
    "      --config FILE    configuration (default: .opsbook.yml in the scanned root)\n"
    "      --print-config   print the effective configuration and exit\n"
    "      --policies DIR   load more policy files from DIR (repeatable)\n"
    "      --no-ignores     report suppressed findings too (ignores and baseline unused)\n"
    "      --test-secrets   secrets in test data keep their rule's severity (default: notes)\n"
    "      --baseline FILE  treat findings listed in FILE as accepted (suppressed)\n"
    "      --write-baseline FILE  write the current findings' fingerprints to FILE\n"
    "      --fail-on SEV    exit 1 when a finding is at or above SEV: error (default),\n"
    "                       warning, note, or none\n"
    "  -j, --threads N      worker threads (default: one per core)\n"
    "      --no-git         walk plainly, ignoring .gitignore\n"
    "      --stats          print phase times, the slowest checks and peak memory on stderr\n"
    "      --color WHEN     colour the text report: auto (default: on a terminal or in a\n"
    "                       GitHub Actions log, unless NO_COLOR is set), always or never\n"
    "\n"
    "exit status: 0 no finding at or above --fail-on, 1 findings, 2 usage or configuration error\n";

static const struct {
    const char *name;
    render_fn fn;
} formats[] = {
    {"text", render_text},   {"json", render_json},   {"sarif", render_sarif},
    {"github", render_github}, {"junit", render_junit},
};

static render_fn format_find(const char *name)
{
    for (size_t i = 0; i < ARRAY_LEN(formats); i++)
        if (strcmp(formats[i].name, name) == 0)
            return formats[i].fn;
    return NULL;
}

/* One report to write: a format and a file (NULL: standard output). */
struct output {
    const char *format;
    const char *path;
};

struct cli {
    const char *format;
    const char *output;
    enum severity fail_on;
    int threads;
    int no_git;
    int json;
    struct vec args;
    struct output extra[8];       /* --output-FMT FILE */
    size_t nextra;
    const char *config, *diff, *since, *baseline, *write_baseline;
    int history, print_config, no_ignores, test_secrets;
    int help;                     /* COMMAND --help */
    int stats;                    /* --stats: phase times and memory on stderr */
    int color;                    /* --color: -1 auto, 0 never, 1 always */
    struct vec policies;
};

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "opsbook: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nrun 'opsbook help' for usage\n");
    return EXIT_USAGE;
}

/* The argument after option i, advancing i; NULL when there is none. */
static const char *next_value(int *i, int argc, char **argv)
{
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

/* Parses options for every subcommand; positional arguments go to cli->args. */
static int parse_args(struct cli *cli, int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        const char *eq = strchr(a, '=');
        char name[64] = "";
        if (a[0] == '-' && a[1] == '-' && eq && (size_t)(eq - a) < sizeof(name)) {
            memcpy(name, a, (size_t)(eq - a));
            name[eq - a] = '\0';
            val = eq + 1;
            a = name;
        }
        if (strcmp(a, "-f") == 0 || strcmp(a, "--format") == 0) {
            if (!val && (val = next_value(&i, argc, argv)) == NULL)
                return usage_error("option %s needs a value", a);
            cli->format = val;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (!val && (val = next_value(&i, argc, argv)) == NULL)
                return usage_error("option %s needs a value", a);
            cli->output = val;
        } else if (strcmp(a, "--fail-on") == 0) {
            if (!val && (val = next_value(&i, argc, argv)) == NULL)
                return usage_error("option %s needs a value", a);
            if (severity_parse(&cli->fail_on, val) != 0)
                return usage_error("--fail-on takes error, warning, note or none, not '%s'", val);
        } else if (strcmp(a, "-j") == 0 || strcmp(a, "--threads") == 0) {
            if (!val && (val = next_value(&i, argc, argv)) == NULL)
                return usage_error("option %s needs a value", a);
            char *end = NULL;
            long n = strtol(val, &end, 10);
            if (!end || *end || n < 0 || n > 256)
                return usage_error("--threads takes a number from 0 to 256, not '%s'", val);
            cli->threads = (int)n;
        } else if (str_startswith(a, "--output-")) {
            if (!format_find(a + 9))
                return usage_error("unknown option '%s'", a);
            if (!val && (val = next_value(&i, argc, argv)) == NULL)
                return usage_error("option %s needs a value", a);
            if (cli->nextra == ARRAY_LEN(cli->extra))
                return usage_error("too many --output-FMT options%s", "");
            cli->extra[cli->nextra++] = (struct output){a + 9, val};
        } else if (strcmp(a, "--config") == 0 || strcmp(a, "--diff") == 0 ||
                   strcmp(a, "--since") == 0 || strcmp(a, "--baseline") == 0 ||
                   strcmp(a, "--write-baseline") == 0 || strcmp(a, "--policies") == 0) {
            if (!val && (val = next_value(&i, argc, argv)) == NULL)
                return usage_error("option %s needs a value", a);
            if (strcmp(a, "--config") == 0)
                cli->config = val;
            else if (strcmp(a, "--diff") == 0)
                cli->diff = val;
            else if (strcmp(a, "--since") == 0)
                cli->since = val;
            else if (strcmp(a, "--baseline") == 0)
                cli->baseline = val;
            else if (strcmp(a, "--write-baseline") == 0)
                cli->write_baseline = val;
            else
                vec_push(&cli->policies, (void *)val);
        } else if (strcmp(a, "--color") == 0 || strcmp(a, "--colour") == 0) {
            if (!val && (val = next_value(&i, argc, argv)) == NULL)
                return usage_error("option %s needs a value", a);
            if (strcmp(val, "auto") == 0)
                cli->color = -1;
            else if (strcmp(val, "always") == 0)
                cli->color = 1;
            else if (strcmp(val, "never") == 0)
                cli->color = 0;
            else
                return usage_error("--color takes auto, always or never, not '%s'", val);
        } else if (strcmp(a, "--history") == 0) {
            cli->history = 1;
        } else if (strcmp(a, "--print-config") == 0) {
            cli->print_config = 1;
        } else if (strcmp(a, "--no-ignores") == 0) {
            cli->no_ignores = 1;
        } else if (strcmp(a, "--test-secrets") == 0) {
            cli->test_secrets = 1;
        } else if (strcmp(a, "--stats") == 0) {
            cli->stats = 1;
        } else if (strcmp(a, "--no-git") == 0) {
            cli->no_git = 1;
        } else if (strcmp(a, "--json") == 0) {
            cli->json = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            cli->help = 1;
        } else if (strcmp(a, "--") == 0) {
            for (i++; i < argc; i++)
                vec_push(&cli->args, argv[i]);
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option '%s'", a);
        } else {
            vec_push(&cli->args, argv[i]);
        }
    }
    return EXIT_OK;
}

static FILE *open_output(const char *path)
{
    if (!path || strcmp(path, "-") == 0)
        return stdout;
    FILE *f = fopen(path, "w");
    if (!f)
        fprintf(stderr, "opsbook: cannot write %s: %s\n", path, strerror(errno));
    return f;
}

static int close_output(FILE *f)
{
    if (f == stdout)
        return fflush(f) == 0 ? 0 : -1;
    return fclose(f) == 0 ? 0 : -1;
}

/* --color: always, never, or auto — a terminal or a GitHub Actions log (which renders ANSI
 * colours), unless NO_COLOR is set to anything non-empty (no-color.org). */
static int color_wanted(int color)
{
    if (color >= 0)
        return color;
    const char *no = getenv("NO_COLOR"), *gha = getenv("GITHUB_ACTIONS");
    if (no && *no)
        return 0;
    return isatty(STDOUT_FILENO) || (gha && strcmp(gha, "true") == 0);
}

/* Writes one report; returns 0 or -1 (message printed). */
static int output_write(const struct output *o, const struct scan *s, const struct cli *cli)
{
    FILE *out = open_output(o->path);
    if (!out)
        return -1;
    struct render_opts ro = {.fail_on = cli->fail_on};
    ro.color = strcmp(o->format, "text") == 0 && out == stdout && color_wanted(cli->color);
    /* Text and GitHub reports in a file start with a line later scans recognise. */
    if (out != stdout && (strcmp(o->format, "text") == 0 || strcmp(o->format, "github") == 0))
        fputs(OPSBOOK_REPORT_HEADER "\n", out);
    int wrc = render_masked(out, s, &ro, format_find(o->format));
    if (close_output(out) != 0 || wrc != 0) {
        fprintf(stderr, "opsbook: cannot write the %s report%s%s\n", o->format,
                o->path ? " to " : "", o->path ? o->path : "");
        return -1;
    }
    return 0;
}

/* Loads the configuration of the scanned root and fills the scan options every
 * scanning command shares. Returns 0, or -1 after printing why (cfg is then released). */
static int scan_setup(struct cli *cli, struct config *cfg, struct scan_opts *so)
{
    struct errbuf err = {{0}, 0};
    const char *root = cli->args.len ? cli->args.items[0] : ".";
    if (config_load(cfg, root, cli->config, &err) != 0) {
        fprintf(stderr, "opsbook: %s\n", err.msg);
        config_release(cfg);
        return -1;
    }
    *so = (struct scan_opts){
        .paths = (const char *const *)cli->args.items,
        .npaths = cli->args.len,
        .threads = cli->threads,
        .fail_on = cli->fail_on,
        .config = cfg,
        .policy_dirs = (const char *const *)cli->policies.items,
        .npolicy_dirs = cli->policies.len,
        .no_ignores = cli->no_ignores,
        .baseline = cli->baseline,
        .diff_ref = cli->diff,
        .history = cli->history,
        .since = cli->since,
        .test_secrets = cli->test_secrets,
    };
    so->discover.no_git = cli->no_git;
    return 0;
}

static int cmd_scan(struct cli *cli)
{
    struct output main_out = {cli->format ? cli->format : "text", cli->output};
    if (!format_find(main_out.format))
        return usage_error("unknown format '%s' (text, json, sarif, github, junit)",
                           main_out.format);
    if (cli->since && !cli->history)
        return usage_error("--since needs --history%s", "");
    if (cli->history && cli->diff)
        return usage_error("--history and --diff do not go together%s", "");
    if ((cli->history || cli->diff) && cli->args.len > 1)
        return usage_error("--%s takes one PATH: the repository or a folder in it",
                           cli->history ? "history" : "diff");

    struct config cfg;
    struct errbuf err = {{0}, 0};
    struct scan_opts so;
    if (scan_setup(cli, &cfg, &so) != 0)
        return EXIT_USAGE;
    if (cli->print_config) {
        int prc = config_print(stdout, &cfg);
        config_release(&cfg);
        return prc == 0 ? EXIT_OK : EXIT_USAGE;
    }
    struct scan s;
    int rc = EXIT_OK;
    if (lint_scan_run(&s, &so, &err) != 0) {
        fprintf(stderr, "opsbook: %s\n", err.msg);
        rc = EXIT_USAGE;
        goto out;
    }
    if (cli->write_baseline && lint_baseline_write(&s, cli->write_baseline, &err) != 0) {
        fprintf(stderr, "opsbook: %s\n", err.msg);
        rc = EXIT_USAGE;
        goto out;
    }
    if (output_write(&main_out, &s, cli) != 0) {
        rc = EXIT_USAGE;
        goto out;
    }
    for (size_t i = 0; i < cli->nextra; i++) {
        if (output_write(&cli->extra[i], &s, cli) != 0) {
            rc = EXIT_USAGE;
            goto out;
        }
    }
    if (cli->stats)
        lint_scan_stats_print(stderr, &s);
    rc = lint_scan_failed(&s, cli->fail_on) ? EXIT_FINDINGS : EXIT_OK;
out:
    lint_scan_release(&s);
    config_release(&cfg);
    return rc;
}

/* `opsbook model`: the same scan, then the linked model instead of the findings. */
static int cmd_model(struct cli *cli)
{
    struct config cfg;
    struct scan_opts so;
    if (scan_setup(cli, &cfg, &so) != 0)
        return EXIT_USAGE;
    struct scan s;
    struct errbuf err = {{0}, 0};
    int rc = EXIT_OK;
    if (lint_scan_run(&s, &so, &err) != 0) {
        fprintf(stderr, "opsbook: %s\n", err.msg);
        rc = EXIT_USAGE;
        goto out;
    }
    FILE *out = open_output(cli->output);
    if (!out || render_masked(out, &s, NULL, render_model_json) != 0 ||
        close_output(out) != 0) {
        fprintf(stderr, "opsbook: cannot write the model\n");
        rc = EXIT_USAGE;
    }
out:
    lint_scan_release(&s);
    config_release(&cfg);
    return rc;
}

/* `opsbook site`: the scan, then the site in -o DIR; the exit status is the scan's. */
static int cmd_site(struct cli *cli)
{
    if (!cli->output || !*cli->output || strcmp(cli->output, "-") == 0)
        return usage_error("site needs an output folder: -o DIR%s", "");
    struct config cfg;
    struct scan_opts so;
    if (scan_setup(cli, &cfg, &so) != 0)
        return EXIT_USAGE;
    struct scan s;
    struct errbuf err = {{0}, 0};
    int rc = EXIT_OK;
    if (lint_scan_run(&s, &so, &err) != 0) {
        fprintf(stderr, "opsbook: %s\n", err.msg);
        rc = EXIT_USAGE;
        goto out;
    }
    const char *title = cfg.site_title;
    if (!title && cli->args.len) {
        title = path_base(cli->args.items[0]);
        if (!*title || strcmp(title, ".") == 0 || strcmp(title, "..") == 0)
            title = NULL;
    }
    struct site_opts o = {.outdir = cli->output, .title = title, .threads = cli->threads,
                          .repository = cfg.repository};
    struct site_stats st;
    if (site_write(&s, &o, &st, &err) != 0) {
        fprintf(stderr, "opsbook: %s\n", err.msg);
        rc = EXIT_USAGE;
        goto out;
    }
    fprintf(stderr, "opsbook: wrote %zu pages to %s in %.2fs\n", st.pages, cli->output,
            st.seconds);
    rc = lint_scan_failed(&s, cli->fail_on) ? EXIT_FINDINGS : EXIT_OK;
out:
    lint_scan_release(&s);
    config_release(&cfg);
    return rc;
}

static int cmd_rules(struct cli *cli, const char *explain)
{
    struct catalogue cat;
    struct errbuf err = {{0}, 0};
    int rc = EXIT_OK;
    if (lint_catalogue_load(&cat, (const char *const *)cli->policies.items, cli->policies.len,
                            &err) != 0) {
        fprintf(stderr, "opsbook: %s\n", err.msg);
        rc = EXIT_USAGE;
        goto out;
    }
    if (!explain) {
        int json = cli->json || (cli->format && strcmp(cli->format, "json") == 0);
        render_rules(stdout, &cat, json);
        goto out;
    }
    const struct rule *r = lint_rule_find(&cat, explain);
    if (!r) {
        const char **ids = xcalloc(cat.rules.len + 1, sizeof(*ids));
        for (size_t i = 0; i < cat.rules.len; i++)
            ids[i] = ((const struct rule *)cat.rules.items[i])->id;
        const char *near = config_suggest(explain, ids, cat.rules.len);
        if (near)
            fprintf(stderr, "opsbook: no rule '%s'; did you mean '%s'? ('opsbook rules' lists "
                            "them)\n", explain, near);
        else
            fprintf(stderr, "opsbook: no rule '%s'; 'opsbook rules' lists them\n", explain);
        free(ids);
        rc = EXIT_USAGE;
        goto out;
    }
    render_explain(stdout, r);
out:
    lint_catalogue_release(&cat);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
        fputs(usage_text, stdout);
        return EXIT_OK;
    }
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("opsbook %s\n", OPSBOOK_VERSION);
        return EXIT_OK;
    }
    struct cli cli = {.fail_on = SEV_ERROR, .color = -1};
    int rc = parse_args(&cli, argc - 2, argv + 2);
    if (rc != EXIT_OK)
        goto out;
    if (cli.help) { /* opsbook COMMAND --help: the usage, on standard output */
        fputs(usage_text, stdout);
        goto out;
    }
    if (strcmp(cmd, "scan") == 0) {
        rc = cmd_scan(&cli);
    } else if (strcmp(cmd, "model") == 0) {
        rc = cmd_model(&cli);
    } else if (strcmp(cmd, "site") == 0) {
        rc = cmd_site(&cli);
    } else if (strcmp(cmd, "fields") == 0) {
        rc = lint_fields_print(stdout) == 0 ? EXIT_OK : EXIT_USAGE;
    } else if (strcmp(cmd, "rules") == 0) {
        rc = cmd_rules(&cli, NULL);
    } else if (strcmp(cmd, "explain") == 0) {
        if (cli.args.len != 1)
            rc = usage_error("explain takes one rule id%s", "");
        else
            rc = cmd_rules(&cli, cli.args.items[0]);
    } else {
        rc = usage_error("unknown command '%s'", cmd);
    }
out:
    vec_release(&cli.args);
    vec_release(&cli.policies);
    return rc;
}
