# `cargo lambda watch` for the scripts that call a function over HTTP (tests/e2e/run.sh,
# tests/contract/run.sh): sourced, not run. The caller defines `say`.
#
#   start_watch BIN PORT LOG VAR
#                              serve examples/src/bin/BIN on 127.0.0.1:PORT (set by the
#                              environment variable VAR), its log in LOG, in a process group of
#                              its own (setsid, from util-linux: Linux), stopped on exit
#   wait_ready URL LOG         until GET URL answers 200 (at most ~120 s: the first request
#                              starts, and may compile, the function); exits on failure
#   stop_watch                 stops the watcher and every process it started

WATCH_PID=
descendants() { # every process below $1, by parent PID
    local children child
    children=$(ps -eo pid=,ppid= | awk -v p="$1" '$2 == p { print $1 }')
    for child in $children; do
        echo "$child"
        descendants "$child"
    done
}
# shellcheck disable=SC2086 # $pids is a list of PIDs
stop_watch() {
    [[ -n $WATCH_PID ]] || return 0
    local pids
    # The function runs in a process group of its own: stop it by PID too.
    pids=$(descendants "$WATCH_PID")
    kill -TERM -- "-$WATCH_PID" $pids 2>/dev/null || true
    for _ in $(seq 50); do # at most 10 s, until none is left but zombies
        ps -o stat= -p "$(echo "$WATCH_PID" $pids | tr ' ' ',')" | grep -qv '^Z' || break
        sleep 0.2
    done
    kill -KILL -- "-$WATCH_PID" $pids 2>/dev/null || true
    wait "$WATCH_PID" 2>/dev/null || true
    WATCH_PID=
}

start_watch() { # BIN PORT LOG VAR
    local bin=$1 port=$2 log=$3 variable=$4
    trap stop_watch EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/"; then
        say "port $port is already in use (a previous run still going?); set $variable to another port"
        exit 1
    fi
    # setsid makes the watcher the leader of a new process group (its PID is the group's id), so
    # the whole group can be stopped. --ignore-changes: no reload while the tests run.
    setsid cargo lambda watch --ignore-changes --quiet -p lambda-proxy-examples --bin "$bin" \
        --invoke-address 127.0.0.1 --invoke-port "$port" >"$log" 2>&1 &
    WATCH_PID=$!
    say "cargo lambda watch started (PID $WATCH_PID, log ${log#"$ROOT"/})"
}

wait_ready() { # URL LOG
    local url=$1 log=$2
    for _ in $(seq 120); do
        if ! kill -0 "$WATCH_PID" 2>/dev/null; then
            say "cargo lambda watch exited:"
            cat "$log"
            exit 1
        fi
        if [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url" || true)" == 200 ]]; then
            return 0
        fi
        sleep 1
    done
    say "the function did not answer GET $url within 120 s; watch log:"
    tail -n 50 "$log"
    exit 1
}
