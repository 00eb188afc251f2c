#!/usr/bin/env bash
# make bench: the pathological inputs of issue 16 at full size, each scanned once (and the
# Markdown ones also made into a site), with wall time and peak memory. Every one of them
# once took tens of seconds or gigabytes; each should now stay within a second or two.
# usage: tools/bench_hostile.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/rel/opsbook
dir=build/bench/hostile
mkdir -p "$dir"

if [ ! -f "$dir/.made-3" ]; then
    python3 - "$dir" <<'EOF'
import os, sys
d = sys.argv[1]
def put(rel, text):
    p = os.path.join(d, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, 'w') as f:
        f.write(text)
put('s3/main.tf', ''.join('resource "aws_s3_bucket" "b%d" {\n  bucket = "b-%d"\n}\n' % (i, i)
                          for i in range(50000)))
put('images/docs.md', '![' * 100000 + 'x' + '](a.png)' * 100000 + '\n')
put('table/docs.md', ''.join('|' + '|'.join(['-' if r == 1 else 'c'] * 20000) + '|\n'
                             for r in range(22)))
put('literal/main.tf', 'locals {\n  x = "' + 'a' * (60 << 20) + '"\n}\n')
put('yaml/big.yaml', ''.join('k%d: v\n' % i for i in range(1000000)))
import random
random.seed(3)
put('junk/main.tf', ''.join(random.choice('{}[]()="\n abc.,:$#<>*') for _ in range(655360)))
for i in range(20000):
    put(f'linked/svc{i}.yaml', f"""apiVersion: apps/v1
kind: Deployment
metadata: {{name: s{i}, namespace: ns}}
spec:
  replicas: 3
  selector: {{matchLabels: {{app: s{i}}}}}
  template:
    metadata: {{labels: {{app: s{i}, tier: web}}}}
    spec: {{containers: [{{name: c, image: 'r/s:1.0'}}]}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {{name: s{i}, namespace: ns}}
spec: {{minAvailable: 1, selector: {{matchLabels: {{app: s{i}}}}}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {{name: s{i}, namespace: ns}}
spec: {{scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: s{i}}}, minReplicas: 2}}
""")
EOF
    touch "$dir/.made-3"
fi

printf '%-34s %10s %10s %12s\n' "pathological input" "MB" "seconds" "peak MB"
run() {  # NAME PATH [site]
    local mb t
    mb=$(du -sb "$2" | awk '{printf "%.1f", $1 / 1e6}')
    if [ "${3:-}" = site ]; then
        t=$(/usr/bin/time -f '%e %M' "$bin" site --no-git "$2" -o "$dir/site-$1" 2>&1 \
            >/dev/null | tail -1)
    else
        t=$(/usr/bin/time -f '%e %M' "$bin" scan --no-git --fail-on none --format json \
            --output /dev/null "$2" 2>&1 >/dev/null | tail -1)
    fi
    echo "$t" | awk -v n="$1" -v mb="$mb" '{printf "%-34s %10s %10s %12.0f\n", n, mb, $1, $2 / 1000}'
}
run "50,000 S3 buckets in one .tf" "$dir/s3"
run "100,000 nested Markdown images" "$dir/images"
run "  the same, site" "$dir/images" site
run "a 20,000-column Markdown table" "$dir/table"
run "  the same, site" "$dir/table" site
run "a 60 MB string literal in a .tf" "$dir/literal"
run "a YAML mapping of 1,000,000 keys" "$dir/yaml"
run "640 KB of broken HCL" "$dir/junk"
run "20,000 workloads, PDBs and HPAs" "$dir/linked"
