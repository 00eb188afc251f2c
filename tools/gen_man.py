#!/usr/bin/env python3
"""The man page opsbook(1) and the bash, zsh and fish completions, from the binary itself.

    python3 tools/gen_man.py BIN OUTDIR

Everything a user reads here comes from what BIN prints: the commands and options from
`BIN --help`, the catalogue from `BIN rules`, the version from `BIN --version`.  So the help,
the man page, the completions and the catalogue cannot disagree: they are one text.
Writes OUTDIR/opsbook.1, OUTDIR/opsbook.bash, OUTDIR/_opsbook and OUTDIR/opsbook.fish.
"""

import os
import re
import subprocess
import sys

OPTION = re.compile(r"^\s{2}(?:-(\w), )?\s*--([\w-]+)(?: ([A-Z]+))?\s{2,}(.*)$")
OPTION_NODESC = re.compile(r"^\s{2}(?:-(\w), )?\s*--([\w-]+)(?: ([A-Z]+))?\s*$")
COMMAND = re.compile(r"^\s{2}(\w+)((?: [\[\]A-Z.\-]+| -o DIR)*)\s{2,}(.*)$")


def run(bin_, *args):
    return subprocess.run([bin_, *args], check=True, capture_output=True, text=True).stdout


def parse_help(text):
    """Sections of the help: commands, options (each with short, long, arg, description),
    the exit-status sentence."""
    commands, options, section, exit_status = [], [], None, ""
    for line in text.splitlines():
        if not line.strip():
            continue
        if not line.startswith(" "):
            if line.startswith("exit status:"):
                exit_status = line.split(":", 1)[1].strip()
            section = line.rstrip(":") if line.endswith(":") else None
            continue
        if section == "commands":
            m = COMMAND.match(line)
            if m:
                commands.append([m.group(1), m.group(2).strip(), m.group(3).strip()])
            elif commands:
                commands[-1][2] += " " + line.strip()
        elif section and section.endswith("options"):
            m = OPTION.match(line) or OPTION_NODESC.match(line)
            if m:
                desc = m.group(4).strip() if m.re is OPTION else ""
                options.append([m.group(1), m.group(2), m.group(3), desc])
            elif options:
                options[-1][3] = (options[-1][3] + " " + line.strip()).strip()
    return commands, options, exit_status


def parse_rules(text):
    rules = []
    for line in text.splitlines():
        parts = line.split(None, 3)
        if len(parts) == 4 and parts[1] in ("error", "warning", "note"):
            rules.append(parts)
    return rules


def roff(s):
    s = s.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + s if s[:1] in (".", "'") else s


def man_page(version, commands, options, exit_status, rules):
    out = [
        '.TH OPSBOOK 1 "" "opsbook %s" "User Commands"' % roff(version),
        ".SH NAME",
        "opsbook \\- model a repository's delivery configuration, check it, explain it as a site",
        ".SH SYNOPSIS",
    ]
    for name, args, _ in commands:
        out.append(".B opsbook %s" % name)
        if args:
            out.append(roff(args))
        out.append(".br")
    out += [
        ".SH DESCRIPTION",
        "opsbook reads GitHub Actions workflows, Kubernetes manifests (plain, Kustomize, Helm,",
        "Argo CD, Flux), Terraform, Dockerfiles, docker\\-compose files and Markdown documents,",
        "links them into one model of services, environments and pipelines, runs its policies",
        "over that model, and writes findings, or a static HTML site that explains the",
        "delivery system.",
        ".SH COMMANDS",
    ]
    for name, args, desc in commands:
        out += [".TP", ".B %s%s" % (name, (" " + roff(args)) if args else ""), roff(desc)]
    out.append(".SH OPTIONS")
    for short, long_, arg, desc in options:
        head = "\\fB\\-\\-%s\\fR" % long_.replace("-", "\\-")
        if short:
            head = "\\fB\\-%s\\fR, %s" % (short, head)
        if arg:
            head += " \\fI%s\\fR" % arg
        out += [".TP", head, roff(desc)]
    out += [".SH EXIT STATUS", roff(exit_status), ".SH FILES", ".TP", ".I .opsbook.yml",
            "Configuration, looked up in the scanned root: ignores, pins, policies, baseline."]
    out += [".SH RULES",
            "The policy catalogue (%d rules). \\fBopsbook explain\\fR \\fIRULE\\fR shows why a"
            % len(rules),
            "rule matters, how to fix a finding and an example."]
    for rid, sev, cat, title in rules:
        out += [".TP", "\\fB%s\\fR (%s, %s)" % (roff(rid), roff(sev), roff(cat)), roff(title)]
    out += [".SH SEE ALSO", "\\fBopsbook explain\\fR \\fIRULE\\fR, \\fBopsbook fields\\fR"]
    return "\n".join(out) + "\n"


def words(xs):
    return " ".join(xs)


def completions(commands, options, rules, formats, severities):
    cmds = [c[0] for c in commands]
    longs = ["--" + o[1] for o in options if o[1] != "output-FMT"]
    longs += ["--output-" + f for f in formats]
    shorts = ["-" + o[0] for o in options if o[0]]
    file_opts = ["--" + o[1] for o in options if o[2] in ("FILE", "DIR")]
    file_opts += ["--output-" + f for f in formats] + ["-o"]
    ids = [r[0] for r in rules]
    bash = """# bash completion for opsbook, generated from its --help and its catalogue
_opsbook() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "%(cmds)s --help --version -V" -- "$cur"))
        return
    fi
    case $prev in
        -f|--format) COMPREPLY=($(compgen -W "%(formats)s" -- "$cur")); return ;;
        --fail-on) COMPREPLY=($(compgen -W "%(sevs)s" -- "$cur")); return ;;
        %(fileopts)s) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    esac
    if [ "${COMP_WORDS[1]}" = explain ]; then
        COMPREPLY=($(compgen -W "%(ids)s" -- "$cur"))
    elif [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "%(opts)s --help" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -F _opsbook opsbook
""" % {"cmds": words(cmds), "formats": words(formats), "sevs": words(severities),
       "fileopts": "|".join(file_opts), "ids": words(ids), "opts": words(shorts + longs)}
    zsh = """#compdef opsbook
# zsh completion for opsbook, generated from its --help and its catalogue
_opsbook() {
    local -a cmds opts ids
    cmds=(%(cmds)s)
    opts=(%(opts)s --help)
    ids=(%(ids)s)
    if (( CURRENT == 2 )); then
        compadd -- $cmds --help --version -V
        return
    fi
    case ${words[CURRENT-1]} in
        -f|--format) compadd -- %(formats)s; return ;;
        --fail-on) compadd -- %(sevs)s; return ;;
        %(fileopts)s) _files; return ;;
    esac
    if [[ ${words[2]} == explain ]]; then
        compadd -- $ids
    elif [[ ${words[CURRENT]} == -* ]]; then
        compadd -- $opts
    else
        _files
    fi
}
_opsbook "$@"
""" % {"cmds": words(cmds), "formats": words(formats), "sevs": words(severities),
       "fileopts": "|".join(file_opts), "ids": words(ids), "opts": words(shorts + longs)}
    fish = ["# fish completion for opsbook, generated from its --help and its catalogue",
            "complete -c opsbook -f"]
    for name, _, desc in commands:
        fish.append("complete -c opsbook -n __fish_use_subcommand -a %s -d %s"
                    % (name, fish_quote(desc)))
    for short, long_, arg, desc in options:
        if long_ == "output-FMT":
            continue
        line = "complete -c opsbook -n 'not __fish_use_subcommand' -l %s" % long_
        if short:
            line += " -s %s" % short
        if long_ == "format":
            line += " -x -a %s" % fish_quote(words(formats))
        elif long_ == "fail-on":
            line += " -x -a %s" % fish_quote(words(severities))
        elif arg in ("FILE", "DIR"):
            line += " -r -F"
        elif arg:
            line += " -x"
        fish.append(line + " -d %s" % fish_quote(desc))
    for f in formats:
        fish.append("complete -c opsbook -n 'not __fish_use_subcommand' -l output-%s -r -F"
                    " -d %s" % (f, fish_quote("also write the %s report to FILE" % f)))
    fish.append("complete -c opsbook -n '__fish_seen_subcommand_from explain' -x -a %s"
                % fish_quote(words(ids)))
    fish.append("complete -c opsbook -n '__fish_seen_subcommand_from scan model site' -F")
    return bash, zsh, "\n".join(fish) + "\n"


def fish_quote(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen_man.py BIN OUTDIR")
    bin_, outdir = sys.argv[1:]
    commands, options, exit_status = parse_help(run(bin_, "--help"))
    rules = parse_rules(run(bin_, "rules"))
    version = run(bin_, "--version").split()[-1]
    formats = []
    for o in options:
        if o[1] == "output-FMT":
            formats = re.findall(r"--output-(\w+)", o[3])
    severities = sorted({r[1] for r in rules}) + ["none"]
    if not commands or not options or not rules or not formats:
        sys.exit("gen_man.py: could not read the commands, options, formats and rules from "
                 "%s --help and %s rules" % (bin_, bin_))
    os.makedirs(outdir, exist_ok=True)
    files = {"opsbook.1": man_page(version, commands, options, exit_status, rules)}
    files["opsbook.bash"], files["_opsbook"], files["opsbook.fish"] = completions(
        commands, options, rules, formats, severities)
    for name, text in files.items():  # each replaced whole: two makes may run this at once
        path = os.path.join(outdir, name)
        tmp = "%s.%d.tmp" % (path, os.getpid())
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)


if __name__ == "__main__":
    main()
