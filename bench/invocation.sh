#!/usr/bin/env bash
# The per-invocation wall-clock comparison of BENCHMARKS.md, section 2: every (front door, size,
# handler) measured by criterion in a process of its own, the three handlers interleaved, ROUNDS
# rounds; prints each median and the median over the rounds.
#
# Why one process per measurement: in one criterion process the handlers run one after the other,
# and the later ones measured faster on the same code (the heap and caches the earlier runs left);
# at 100 B that order effect (about 0.4 µs) was larger than the differences being measured.
#
#   bash bench/invocation.sh                  # everything, 3 rounds (about 5 minutes)
#   ROUNDS=5 SIZES="100B" bash bench/invocation.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
SIZES=${SIZES:-"100B 10KB 1MB"}
DOORS=${DOORS:-"rest http2"}
HANDLERS=${HANDLERS:-"a_proxy b_docs c_optimized"}
cargo bench -q -p lambda-proxy-bench --bench invocation --no-run 2>/dev/null

results=$(mktemp)
trap 'rm -f "$results"' EXIT
for round in $(seq "$ROUNDS"); do
    echo "round $round, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    for door in $DOORS; do
        for size in $SIZES; do
            for handler in $HANDLERS; do
                cargo bench -q -p lambda-proxy-bench --bench invocation -- \
                    --warm-up-time 1 --measurement-time 3 --noplot \
                    "^invocation/$door/$handler/$size\$" >/dev/null 2>&1
                estimates="${CARGO_TARGET_DIR:-target}/criterion/invocation_$door/$handler/$size/new/estimates.json"
                ns=$(sed -E 's/.*"median":\{"confidence_interval":\{[^}]*\},"point_estimate":([0-9.eE+-]+).*/\1/' "$estimates")
                echo "$door $size $handler $ns" | tee -a "$results" >&2
            done
        done
    done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

echo
echo "| front door | body | handler | median of $ROUNDS rounds | rounds |"
echo "| --- | --- | --- | ---: | --- |"
sort -k1,1 -k2,2 -k3,3 -s "$results" | awk '
function flush() {
    if (n == 0) return
    # median of the rounds
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    m = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    all = ""
    for (i = 1; i <= n; i++) all = all sprintf("%s%s", (i > 1 ? ", " : ""), fmt(v[i]))
    printf "| %s | %s | %s | %s | %s |\n", d, s, h, fmt(m), all
    n = 0
}
function fmt(ns) { return ns >= 1e6 ? sprintf("%.3f ms", ns / 1e6) : sprintf("%.2f µs", ns / 1e3) }
{ key = $1 " " $2 " " $3; if (key != last) { flush(); last = key; d = $1; s = $2; h = $3 } v[++n] = $4 }
END { flush() }'
