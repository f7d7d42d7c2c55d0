#!/usr/bin/env bash
# Wall clock of reading the event (BENCHMARKS.md §13): every (event, adapter) of
# benches/event.rs measured by criterion in a process of its own; prints each median.
#
#   bash bench/event.sh
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${EVENTS:-"rest-typical http2-typical alb-typical lattice-typical websocket-typical websocket-connect rest http2"}
cargo bench -q -p lambda-proxy-bench --bench event --no-run 2>/dev/null
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-18s %14s %14s %8s\n' event "run" "lambda_http" run/lh
for name in $EVENTS; do
    line=$name
    for adapter in run lambda_http; do
        cargo bench -q -p lambda-proxy-bench --bench event -- --warm-up-time 1 \
            --measurement-time 3 --noplot "^event/$name/$adapter\$" >/dev/null 2>&1
        estimates="${CARGO_TARGET_DIR:-target}/criterion/event_$name/$adapter/new/estimates.json"
        median=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['median']['point_estimate'])" "$estimates")
        line="$line $median"
    done
    echo "$line" | awk '{ printf "%-18s %11.2f µs %11.2f µs %8.3f\n", $1, $2/1000, $3/1000, $2/$3 }'
done
