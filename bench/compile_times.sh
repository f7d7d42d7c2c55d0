#!/usr/bin/env bash
# Compile-time measurements for BENCHMARKS.md: wall-clock seconds, several runs, interleaved so
# that both sides see the same machine load. Usage: bash bench/compile_times.sh [runs]
# Uses its own target directory (CARGO_TARGET_DIR, default /tmp/lambda-proxy-compile-times) so
# that other builds neither block it nor are invalidated by it.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/lambda-proxy-compile-times}
# Full recompiles: with incremental compilation a touched but unchanged file costs next to nothing.
export CARGO_INCREMENTAL=0

# shellcheck source=bench/timing.sh
source bench/timing.sh

echo "load before: $(uptime)"
# The 100-handler crate, generated (never committed), building into the same target directory.
many=$CARGO_TARGET_DIR/many-crate
bash bench/gen_many.sh "$many"
manifest=(--manifest-path "$many/Cargo.toml")
# Warm every dependency once, in both profiles.
cargo build "${manifest[@]}" >/dev/null 2>&1
cargo build --release "${manifest[@]}" >/dev/null 2>&1

macros=""
for _ in $(seq "$RUNS"); do
  cargo clean -p lambda-proxy-macros >/dev/null 2>&1
  macros="$macros $(secs cargo build -p lambda-proxy-macros)"
done
echo "lambda-proxy-macros alone, dev, from clean (dependencies built): runs:$macros median: $(echo "$macros" | median) min: $(echo "$macros" | minimum)"

for profile in dev release; do
  flag=""
  [ "$profile" = release ] && flag="--release"
  h="" p=""
  for _ in $(seq "$RUNS"); do
    touch "$many/src/bin/many_handlers.rs"
    h="$h $(secs cargo build $flag "${manifest[@]}" --bin many_handlers)"
    touch "$many/src/bin/many_plain.rs"
    p="$p $(secs cargo build $flag "${manifest[@]}" --bin many_plain)"
  done
  echo "$profile: 100 #[proxy_handler] handlers (many_handlers): runs:$h median: $(echo "$h" | median) min: $(echo "$h" | minimum)"
  echo "$profile: 100 plain lambda_http handlers (many_plain):   runs:$p median: $(echo "$p" | median) min: $(echo "$p" | minimum)"
done
echo "load after: $(uptime)"
