#!/usr/bin/env python3
"""Writes the tree of COMMIT in the bare repository GIT_DIR into DEST, one `git cat-file
--batch` for every blob. A snapshot may lack a file (over 4 MB, or kept in Git LFS), where
`git archive` would stop: it is written empty and counted. Symbolic links stay links."""
import os, subprocess, sys

git_dir, commit, dest = sys.argv[1:4]
tree = subprocess.run(["git", "--git-dir", git_dir, "ls-tree", "-r", "-z", commit],
                      check=True, capture_output=True).stdout.split(b"\0")
entries = []
for e in tree:
    if not e:
        continue
    meta, path = e.split(b"\t", 1)
    mode, kind, sha = meta.split()
    if kind == b"blob":
        entries.append((mode, sha, path.decode("utf-8", "surrogateescape")))
cat = subprocess.Popen(["git", "--git-dir", git_dir, "cat-file", "--batch"],
                       stdin=subprocess.PIPE, stdout=subprocess.PIPE)
missing = 0
for mode, sha, path in entries:
    cat.stdin.write(sha + b"\n")
    cat.stdin.flush()
    head = cat.stdout.readline().split()
    if len(head) < 3 or head[1] == b"missing":
        missing += 1  # an empty stand-in: links to it resolve, as they do in the repository
        data = b""
    else:
        data = cat.stdout.read(int(head[2]))
        cat.stdout.read(1)
    full = os.path.join(dest, path)
    if os.path.relpath(os.path.realpath(os.path.dirname(full)), os.path.realpath(dest)).startswith(".."):
        continue
    os.makedirs(os.path.dirname(full), exist_ok=True)
    if mode == b"120000":
        os.symlink(data.decode("utf-8", "surrogateescape"), full)
    else:
        with open(full, "wb") as f:
            f.write(data)
cat.stdin.close()
cat.wait()
print(f"{len(entries) - missing} files, {missing} not in the snapshot", file=sys.stderr)
