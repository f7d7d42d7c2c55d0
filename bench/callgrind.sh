#!/usr/bin/env bash
# Instruction counts per invocation under callgrind (repeatable under load), for BENCHMARKS.md.
# Usage: bash bench/callgrind.sh            (every handler, front door and size)
#        bash bench/callgrind.sh routes     (the 20-route router against the handler alone and axum)
#        bash bench/callgrind.sh events     (reading the event: typical API Gateway events and the
#                                            testing kit's, lambda-proxy's adapter against
#                                            lambda_http's)
#        bash bench/callgrind.sh openapi    (the users service: a route, its document's route, the
#                                            routes whose values are checked; building it with
#                                            and without its document)
#        bash bench/callgrind.sh observability (GET /users/1 of the users service: without a
#                                            record, with the default record and no subscriber,
#                                            the record taken, the record as JSON, the metrics)
#        bash bench/callgrind.sh a rest 1MB (one case; keeps the callgrind.out file for
#                                            callgrind_annotate)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
cargo build --release -p lambda-proxy-bench --bin callgrind_invoke >/dev/null 2>&1
bin=$CARGO_TARGET_DIR/release/callgrind_invoke
out=${CALLGRIND_OUT:-/tmp/lambda-proxy-callgrind}
mkdir -p "$out"

iters() { case $1 in 100B) echo 200 ;; 10KB) echo 50 ;; *) echo 5 ;; esac; }

one() { # handler front_door size: prints the instructions of one invocation
  local n file
  n=$(iters "$3")
  file=$out/callgrind.$1.$2.$3.out
  valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*measured*' \
    --callgrind-out-file="$file" "$bin" "$1" "$2" "$3" "$n" 2>&1 |
    awk -v n="$n" '/Collected/ { gsub(",", "", $4); printf "%d", $4 / n }'
}

if [ "${1:-}" = routes ]; then
  # The 20-route comparison on `GET /items/7`: the handler alone (one), lambda-proxy's router
  # (router20), the same routes in axum 0.8 on lambda_http (axum20).
  echo "load: $(uptime)"
  printf '%-6s %-6s %12s %12s %12s %10s %10s\n' door size one router20 axum20 router/one router/axum
  for door in rest http2; do
    for size in 100B 10KB; do
      o=$(one one $door $size); r=$(one router20 $door $size); x=$(one axum20 $door $size)
      printf '%-6s %-6s %12d %12d %12d %10s %10s\n' $door $size "$o" "$r" "$x" \
        "$(echo "scale=4; $r / $o" | bc)" "$(echo "scale=4; $r / $x" | bc)"
    done
  done
  exit
fi
if [ "${1:-}" = openapi ]; then
  echo "load: $(uptime)"
  printf '%-24s %12s %12s\n' case rest http2
  for h in crud_user crud_openapi crud_list crud_create; do
    printf '%-24s %12d %12d\n' $h "$(one $h rest 100B)" "$(one $h http2 100B)"
  done
  for h in crud_validate crud_build crud_build_undocumented; do
    printf '%-24s %12d\n' $h "$(one $h rest 100B)"
  done
  exit
fi
if [ "${1:-}" = observability ]; then
  echo "load: $(uptime)"
  printf '%-18s %12s %12s\n' case rest http2
  for h in crud_quiet crud_default crud_record crud_record_json crud_metrics; do
    printf '%-18s %12d %12d\n' $h "$(one $h rest 100B)" "$(one $h http2 100B)"
  done
  exit
fi
if [ "${1:-}" = events ]; then
  # The same #[proxy_handler] answering 100 B, through lambda-proxy's adapter (run) and
  # lambda_http's (a), both reading the event as lambda_runtime hands it over.
  echo "load: $(uptime)"
  printf '%-18s %12s %12s %8s\n' event "(run) proxy" "(a) proxy" run/a
  for door in rest-typical http2-typical rest http2 alb-typical lattice-typical websocket-typical websocket-connect; do
    r=$(one run $door 100B); a=$(one a $door 100B)
    printf '%-18s %12d %12d %8s\n' $door "$r" "$a" "$(echo "scale=3; $r / $a" | bc)"
  done
  exit
fi
if [ $# -eq 3 ]; then
  echo "$1 $2 $3: $(one "$@") instructions per invocation ($out/callgrind.$1.$2.$3.out)"
  exit
fi
echo "load: $(uptime)"
# (run) is #[proxy_handler] on the path of lambda_proxy::run (lambda-proxy's adapter); (a) the same
# handler through lambda_http's adapter (lambda_http::run(service_fn(handler))).
printf '%-6s %-6s %14s %14s %14s %14s %8s %8s %8s\n' door size "(run) proxy" "(a) proxy" "(b) docs" "(c) optimized" "run/a" "run/c" "run/b"
for door in rest http2; do
  for size in 100B 10KB 1MB; do
    r=$(one run $door $size)
    a=$(one a $door $size)
    b=$(one b $door $size)
    c=$(one c $door $size)
    printf '%-6s %-6s %14d %14d %14d %14d %8s %8s %8s\n' $door $size "$r" "$a" "$b" "$c" \
      "$(echo "scale=3; $r / $a" | bc)" "$(echo "scale=3; $r / $c" | bc)" "$(echo "scale=3; $r / $b" | bc)"
  done
done
for door in rest http2; do
  g=$(one guards $door 100B)
  d=$(one direct $door 100B)
  echo "guards ($door): begin + respond(ready future) $g, building the response directly $d, difference $((g - d)) instructions"
done
