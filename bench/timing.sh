# Wall-clock helpers of the compile-time scripts (bench/compile_times.sh,
# bench/openapi_compile.sh): sourced, not run.

secs() { # runs "$@" quietly and prints its wall-clock time in seconds
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
minimum() { tr ' ' '\n' | grep . | sort -n | head -1; }
