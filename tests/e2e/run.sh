#!/usr/bin/env bash
# End-to-end test with a real local Lambda emulator: serves examples/src/bin/e2e.rs with
# `cargo lambda watch`, calls every route over HTTP through its function URL front end, then sends
# REST API, HTTP API 2.0 and ALB events with `cargo lambda invoke` (events lambda_http cannot
# read among them) and checks each raw envelope with `lambda-proxy check --strict`.
#
#   bash tests/e2e/run.sh
#
# Needs the Rust toolchain, python3 (with venv and pip, to install cargo-lambda from PyPI into
# target/e2e-venv once) and curl. No AWS account. Environment:
# E2E_PORT (default 9000) sets the emulator's port.
#
# Prints one line per check and ends with `e2e: N passed, M failed`; exits non-zero on any failure
# and prints the failing response. Responses, envelopes and the emulator's log stay in target/e2e/.
# Every process it starts is stopped on exit, by PID; every wait is bounded.
set -euo pipefail
set -o errtrace # an unexpected failure says where, instead of ending the run silently
trap 'echo "e2e: line $LINENO: \"$BASH_COMMAND\" failed" >&2' ERR
cd "$(dirname "$0")/../.."
ROOT=$PWD

CARGO_LAMBDA_VERSION=1.9.2 # pip index versions cargo-lambda; the wheel ships the binary
PORT=${E2E_PORT:-9000}
VENV=$ROOT/target/e2e-venv
OUT=$ROOT/target/e2e
EVENTS=$ROOT/tests/e2e/events
URL=http://127.0.0.1:$PORT/lambda-url/e2e
SECRET=db-password=hunter2 # in examples/src/bin/e2e.rs: logged, never sent
# The 1x1 PNG that GET /binary answers, base64-encoded.
PNG_B64=iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGMAAQAABQABDQottAAAAABJRU5ErkJggg==
GENERIC_5XX="The server could not complete this request. Quote the requestId when reporting it."

started=$SECONDS
say() { printf 'e2e: %s\n' "$*"; }

# ---------------------------------------------------------------------------------------------
# Install cargo-lambda (once) and build.

export PATH=$VENV/bin:$PATH
if [[ "$(cargo lambda --version 2>/dev/null)" != "cargo-lambda $CARGO_LAMBDA_VERSION "* ]]; then
    say "installing cargo-lambda $CARGO_LAMBDA_VERSION into target/e2e-venv"
    python3 -m venv "$VENV"
    # --no-deps: its one dependency is ziglang (~450 MB), needed only by `cargo lambda build`.
    "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps \
        "cargo-lambda==$CARGO_LAMBDA_VERSION"
fi
say "$(cargo lambda --version)"

say "building the e2e function, the event generator and the checker (lambda-proxy check)"
cargo build --quiet -p lambda-proxy-examples --bin e2e --example e2e_events
cargo build --quiet -p lambda-proxy-cli --bin lambda-proxy

rm -rf "$OUT"
mkdir -p "$OUT/http" "$OUT/envelopes"

# ---------------------------------------------------------------------------------------------
# Start `cargo lambda watch` in its own process group; stop it, and everything it started, on exit.

# shellcheck source=tests/watch.sh
source "$ROOT/tests/watch.sh"
start_watch e2e "$PORT" "$OUT/watch.log" E2E_PORT
wait_ready "$URL/ok" "$OUT/watch.log"
say "ready after $((SECONDS - started)) s"

# ---------------------------------------------------------------------------------------------
# Checks: each gathers its problems, then prints one line.

passed=0
failed=0
PROBLEMS=()
LABEL=
SHOW=() # files printed when the check fails

finish() {
    if ((${#PROBLEMS[@]} == 0)); then
        passed=$((passed + 1))
        printf 'ok    %s\n' "$LABEL"
    else
        failed=$((failed + 1))
        printf 'FAIL  %s\n' "$LABEL"
        printf '        %s\n' "${PROBLEMS[@]}"
        local file
        for file in "${SHOW[@]}"; do
            printf '      --- %s\n' "${file#"$ROOT"/}"
            sed 's/^/      /' "$file"
            echo
        done
    fi
    PROBLEMS=()
    SHOW=()
}

# JSON assertions, in Python: FILE then `key=JSON` (equal), `key~TEXT` (a string containing TEXT),
# `key?` (present), `!key` (absent), `body-json=JSON` (the envelope's body, parsed, equals JSON),
# `png` (the envelope's body is base64 of the expected PNG). Keys are dotted paths (`headers.x-tag`).
# Prints one problem per line; nothing when all hold.
JSON_CHECK='
import base64, json, sys
path, *wants = sys.argv[1:]
try:
    doc = json.load(open(path))
except Exception as e:
    print(f"not JSON: {e}"); sys.exit()
def get(key):
    node = doc
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(key)
        node = node[part]
    return node
for want in wants:
    try:
        if want == "png":
            if get("isBase64Encoded") is not True or base64.b64decode(get("body")) != base64.b64decode(PNG):
                print("body is not the base64 of the PNG with isBase64Encoded: true")
        elif want.startswith("body-json="):
            expected = json.loads(want.split("=", 1)[1])
            body = get("body")
            if json.loads(body) != expected:
                print(f"body {body!r}, expected JSON {expected}")
        elif want.startswith("!"):
            try:
                get(want[1:]); print(f"{want[1:]} present, expected absent")
            except KeyError:
                pass
        elif want.endswith("?"):
            get(want[:-1])
        elif "~" in want and ("=" not in want or want.index("~") < want.index("=")):
            key, text = want.split("~", 1)
            if not isinstance(get(key), str) or text not in get(key):
                print(f"{key}: {get(key)!r} does not contain {text!r}")
        else:
            key, expected = want.split("=", 1)
            if get(key) != json.loads(expected):
                print(f"{key}: {json.dumps(get(key))}, expected {expected}")
    except KeyError as e:
        print(f"{e.args[0]} missing")
'
python_check() { # SCRIPT ARGS...: each line the script prints is a problem; so is its failure
    local out line
    out=$(python3 -c "$@" 2>&1) || PROBLEMS+=("the Python check itself failed:")
    while IFS= read -r line; do
        if [[ -n $line ]]; then PROBLEMS+=("$line"); fi
    done <<<"$out"
}
want_json() { # FILE ASSERTIONS...
    python_check "PNG = '$PNG_B64'
$JSON_CHECK" "$@"
}

# --- HTTP through the function URL front end -------------------------------------------------

STATUS='' TIME='' HEADERS='' BODY=''
http() { # LABEL METHOD PATH [CURL ARGS...]
    LABEL="HTTP $1"
    local name=${1//[^a-zA-Z0-9]/_} method=$2 path=$3
    shift 3
    HEADERS=$OUT/http/$name.headers
    BODY=$OUT/http/$name.body
    SHOW=("$HEADERS" "$BODY")
    local result verb=(-X "$method") body=$BODY
    # A HEAD answer announces the length of GET's body and sends none: curl must know not to
    # wait for it, and then reads no body (the envelope's is checked through `invoke`).
    [[ $method == HEAD ]] && verb=(--head) && body=/dev/null
    result=$(curl -sS --max-time 30 "${verb[@]}" -D "$HEADERS" -o "$body" \
        -w '%{http_code} %{time_total}' "$@" "$URL$path" 2>&1) || result="000 0 ($result)"
    touch "$HEADERS" "$BODY"
    STATUS=${result%% *}
    TIME=$(echo "$result" | cut -d' ' -f2)
}
header_values() { # NAME: every value of the header, one a line
    tr -d '\r' <"$HEADERS" | awk -v name="$1" 'index($0, ":") {
        n = tolower(substr($0, 1, index($0, ":") - 1))
        if (n == name) { v = substr($0, index($0, ":") + 1); sub(/^ +/, "", v); print v }
    }'
}
want_status() { [[ $STATUS == "$1" ]] || PROBLEMS+=("status $STATUS, expected $1"); }
want_header() { # NAME VALUE: the header's values, one a line, are exactly VALUE ("" for absent)
    local got
    got=$(header_values "$1")
    [[ $got == "$2" ]] || PROBLEMS+=("$1: got [${got//$'\n'/ | }], expected [${2//$'\n'/ | }]")
}
want_body() { [[ "$(cat "$BODY")" == "$1" ]] || PROBLEMS+=("body is not $1"); }
want_problem() { # STATUS TITLE [DETAIL]: an RFC 9457 problem body
    want_header content-type application/problem+json
    local detail=()
    if [[ $# -ge 3 ]]; then detail=("detail=$(json_string "$3")"); fi
    want_json "$BODY" "status=$1" "title=$(json_string "$2")" "requestId?" "${detail[@]}"
}
json_string() { python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$1"; }
want_no_secret() { # nothing the client sees carries the secret
    if grep -q "$SECRET" "$HEADERS" "$BODY"; then PROBLEMS+=("the answer contains the secret"); fi
}

http "GET /ok: 200 JSON" GET /ok
want_status 200
want_header content-type application/json
want_body '{"ok":true,"service":"e2e"}'
finish

http "GET /missing: None is 404" GET /missing
want_status 404
want_problem 404 "Not Found"
finish

http "GET /bad-request: HttpError 400 with its detail" GET /bad-request
want_status 400
# shellcheck disable=SC2016 # backquotes in the expected text
want_problem 400 "Bad Request" 'the query parameter `q` is required'
finish

http "GET /internal: 500, generic detail, no secret" GET /internal
want_status 500
want_problem 500 "Internal Server Error" "$GENERIC_5XX"
want_no_secret
finish

http "GET /panic: 500, generic detail, no secret" GET /panic
want_status 500
want_problem 500 "Internal Server Error" "$GENERIC_5XX"
want_no_secret
finish

http "GET /slow: 504 after timeout_ms = 1000, not 5 s" GET /slow
want_status 504
want_problem 504 "Gateway Timeout"
python3 -c 'import sys; sys.exit(not (0.9 <= float(sys.argv[1]) < 4))' "$TIME" ||
    PROBLEMS+=("answered after $TIME s, expected about 1 s")
finish

http "POST /echo: JSON read back" POST /echo -H 'content-type: application/json' \
    --data-raw '{"text":"hi","count":2}'
want_status 200
want_header content-type application/json
want_header x-request-bytes 23
want_body '{"text":"hi","count":2}'
finish

http "POST /echo: malformed JSON is 400" POST /echo -H 'content-type: application/json' \
    --data-raw '{"text":'
want_status 400
want_problem 400 "Bad Request"
want_json "$BODY" "detail~not valid JSON"
finish

http "POST /echo: text/plain is 415" POST /echo -H 'content-type: text/plain' \
    --data-raw '{"text":"hi","count":2}'
want_status 415
want_problem 415 "Unsupported Media Type"
want_header accept application/json
finish

http "POST /echo: a missing field is 422 naming it" POST /echo -H 'content-type: application/json' \
    --data-raw '{"text":"hi"}'
want_status 422
want_problem 422 "Unprocessable Entity"
want_json "$BODY" "detail~count"
finish

http "GET /binary: image/png bytes" GET /binary
want_status 200
want_header content-type image/png
want_header content-length 67
python3 -c 'import base64,sys; sys.exit(open(sys.argv[1],"rb").read() != base64.b64decode(sys.argv[2]))' \
    "$BODY" "$PNG_B64" || PROBLEMS+=("the body is not the PNG")
SHOW=("$HEADERS")
finish

http "GET /headers: x-tag joined, two Set-Cookie" GET /headers
want_status 200
want_header content-type application/json
want_header x-tag "a, b"
want_header set-cookie "session=abc123; Path=/; HttpOnly"$'\n'"theme=dark; Path=/"
want_body '{"cookies":2}'
finish

http "GET /unit: () is 204, empty" GET /unit
want_status 204
want_header content-type ""
[[ ! -s $BODY ]] || PROBLEMS+=("the body is not empty")
finish

http "DELETE /ok: the router's 405 with allow" DELETE /ok
want_status 405
want_problem 405 "Method Not Allowed" 'method DELETE is not allowed on "/ok"'
want_header allow "GET, HEAD, OPTIONS"
finish

http "GET /nope: the router's 404 naming the path" GET /nope
want_status 404
want_problem 404 "Not Found" 'no route for path "/nope"'
finish

# --- The users service (examples/src/crud.rs) through the router -----------------------------

http "GET /users: the seeded users" GET /users
want_status 200
want_header cache-control max-age=10
want_body '[{"id":1,"name":"Ada"},{"id":2,"name":"Grace"},{"id":3,"name":"Edsger"}]'
finish

http "GET /users?after=1&limit=1: typed query" GET '/users?after=1&limit=1'
want_status 200
want_body '[{"id":2,"name":"Grace"}]'
finish

http "GET /users?limit=many: 400 naming the parameter" GET '/users?limit=many'
want_status 400
want_problem 400 "Bad Request" 'query parameter "limit": expected an unsigned integer, got "many"'
finish

http "POST /users: 201 with location" POST /users -H 'content-type: application/json' \
    --data-raw '{"name":"Barbara"}'
want_status 201
want_header location /users/4
want_body '{"id":4,"name":"Barbara"}'
finish

http "POST /users: malformed JSON is 400" POST /users -H 'content-type: application/json' \
    --data-raw '{"name":'
want_status 400
want_problem 400 "Bad Request"
finish

http "POST /users: the wrong shape is 422 naming the field" POST /users \
    -H 'content-type: application/json' --data-raw '{"name":7}'
want_status 422
want_problem 422 "Unprocessable Entity"
want_json "$BODY" "detail~\`name\`"
finish

http "GET /users/4: the user created" GET /users/4
want_status 200
want_body '{"id":4,"name":"Barbara"}'
finish

http "GET /users/abc: 400 naming the path parameter" GET /users/abc
want_status 400
want_problem 400 "Bad Request" 'path parameter "id": expected an unsigned integer, got "abc"'
finish

http "DELETE /users/4: 204" DELETE /users/4
want_status 204
[[ ! -s $BODY ]] || PROBLEMS+=("the body is not empty")
finish

http "DELETE /users/4 again: 404" DELETE /users/4
want_status 404
want_problem 404 "Not Found"
finish

http "PUT /users/1: 405 with the path's methods" PUT /users/1
want_status 405
want_problem 405 "Method Not Allowed"
want_header allow "GET, DELETE, HEAD, OPTIONS"
finish

# OPTIONS is checked with an event below: like a function URL with its own CORS configuration,
# the emulator answers OPTIONS itself, without invoking the function.

http "HEAD /users/1: the GET route without a body" HEAD /users/1
want_status 200
want_header content-type application/json
want_header content-length 21
finish

# --- The function's log ------------------------------------------------------------------------

LABEL="log: the internal error and the panic are logged, with the secret"
SHOW=("$OUT/watch.log")
n=$(grep -c "$SECRET" "$OUT/watch.log" || true)
((n >= 2)) || PROBLEMS+=("the secret appears $n times in the log, expected at least 2")
finish

LABEL="log: one function process served every request (the panic did not end it)"
n=$(grep -c "starting lambda function instance" "$OUT/watch.log" || true)
((n == 1)) || PROBLEMS+=("$n function processes were started, expected 1")
finish

# --- Raw envelopes through `cargo lambda invoke` ---------------------------------------------

LABEL="events: tests/e2e/events/*.json are what TestRequest builds"
SHOW=()
if ! check_out=$(cargo run --quiet -p lambda-proxy-examples --example e2e_events -- --check "$EVENTS" 2>&1); then
    PROBLEMS+=("$check_out")
fi
finish

# The keys each front door's envelope may have.
declare -A ALLOWED=(
    [rest]='["statusCode","headers","multiValueHeaders","body","isBase64Encoded"]'
    [http2]='["statusCode","headers","multiValueHeaders","body","isBase64Encoded","cookies"]'
    [alb]='["statusCode","statusDescription","headers","body","isBase64Encoded"]'
    [alb-multi]='["statusCode","statusDescription","multiValueHeaders","body","isBase64Encoded"]'
)

# The envelope contract, whatever the route: statusCode an integer, body a string,
# isBase64Encoded a boolean, header maps of strings (lists of strings), no other key.
ENVELOPE_CHECK='
import json, sys
path, allowed = sys.argv[1], json.loads(sys.argv[2])
try:
    env = json.load(open(path))
except Exception as e:
    print(f"not JSON: {e}"); sys.exit()
if not isinstance(env, dict):
    print("not a JSON object"); sys.exit()
extra = sorted(set(env) - set(allowed))
if extra: print(f"keys not allowed here: {extra}")
code = env.get("statusCode")
if type(code) is not int or not 100 <= code <= 599: print(f"statusCode {code!r} is not an integer in 100..599")
if not isinstance(env.get("body", ""), str): print("body is not a string")
if type(env.get("isBase64Encoded", False)) is not bool: print("isBase64Encoded is not a boolean")
if not all(isinstance(v, str) for v in env.get("headers", {}).values()): print("a headers value is not a string")
if not all(isinstance(v, list) and all(isinstance(s, str) for s in v) for v in env.get("multiValueHeaders", {}).values()):
    print("a multiValueHeaders value is not a list of strings")
'

invoke() { # FRONT_DOOR ROUTE ASSERTIONS...
    local door=$1 route=$2
    shift 2
    local envelope=$OUT/envelopes/$door-$route.json
    LABEL="invoke $door $route: $*"
    SHOW=("$envelope")
    if ! timeout 60 cargo lambda invoke e2e --invoke-address 127.0.0.1 --invoke-port "$PORT" \
        --data-file "$EVENTS/$door-$route.json" >"$envelope" 2>&1; then
        PROBLEMS+=("cargo lambda invoke failed")
    fi
    python_check "$ENVELOPE_CHECK" "$envelope" "${ALLOWED[$door]}"
    want_json "$envelope" "$@"
    finish

    LABEL="lambda-proxy check --front-door $door --strict $door-$route.json"
    SHOW=("$envelope" "$envelope.check")
    if ! cargo run --quiet -p lambda-proxy-cli --bin lambda-proxy -- check \
        --front-door "$door" --strict "$envelope" >"$envelope.check" 2>&1; then
        PROBLEMS+=("lambda-proxy check rejected it")
    fi
    finish
}

ok_body='body-json={"ok":true,"service":"e2e"}'
echo_body='body-json={"text":"hi","count":2}'
problem_500="body~$GENERIC_5XX"

invoke rest ok statusCode=200 'multiValueHeaders.content-type=["application/json"]' \
    'headers={}' "$ok_body"
invoke rest headers statusCode=200 'multiValueHeaders.x-tag=["a","b"]' \
    'multiValueHeaders.set-cookie=["session=abc123; Path=/; HttpOnly","theme=dark; Path=/"]'
invoke rest binary statusCode=200 'multiValueHeaders.content-type=["image/png"]' png
invoke rest internal statusCode=500 \
    'multiValueHeaders.content-type=["application/problem+json"]' "$problem_500"
invoke rest echo statusCode=200 'multiValueHeaders.x-request-bytes=["23"]' "$echo_body"

invoke http2 ok statusCode=200 'headers.content-type="application/json"' "$ok_body"
invoke http2 headers statusCode=200 'headers.x-tag="a, b"' '!headers.set-cookie' \
    'cookies=["session=abc123; Path=/; HttpOnly","theme=dark; Path=/"]'
invoke http2 binary statusCode=200 'headers.content-type="image/png"' png
invoke http2 internal statusCode=500 'headers.content-type="application/problem+json"' \
    "$problem_500"
invoke http2 echo statusCode=200 'headers.x-request-bytes="23"' "$echo_body"

invoke alb ok statusCode=200 'statusDescription="200 OK"' \
    'headers.content-type="application/json"' "$ok_body"
# Single-value mode carries one Set-Cookie: the first (the function logs that the other is left).
invoke alb headers statusCode=200 'headers.x-tag="a, b"' '!multiValueHeaders' \
    'headers.set-cookie="session=abc123; Path=/; HttpOnly"'
invoke alb binary statusCode=200 'headers.content-type="image/png"' png
invoke alb internal statusCode=500 'statusDescription="500 Internal Server Error"' \
    "$problem_500"
invoke alb echo statusCode=200 'headers.x-request-bytes="23"' "$echo_body"

# ALB with multi-value headers: the answer in `multiValueHeaders`, values and cookies separate.
invoke alb-multi ok statusCode=200 'statusDescription="200 OK"' '!headers' \
    'multiValueHeaders.content-type=["application/json"]' "$ok_body"
invoke alb-multi headers statusCode=200 'multiValueHeaders.x-tag=["a","b"]' \
    'multiValueHeaders.set-cookie=["session=abc123; Path=/; HttpOnly","theme=dark; Path=/"]'
invoke alb-multi binary statusCode=200 'multiValueHeaders.content-type=["image/png"]' png
invoke alb-multi internal statusCode=500 'statusDescription="500 Internal Server Error"' \
    "$problem_500"
invoke alb-multi echo statusCode=200 'multiValueHeaders.x-request-bytes=["23"]' "$echo_body"

# The users routes, the same table for every front door and stage shape.
user_1='body-json={"id":1,"name":"Ada"}'
invoke rest user statusCode=200 "$user_1"
invoke rest user-staged statusCode=200 "$user_1"
invoke rest user-base-path statusCode=200 "$user_1"
invoke http2 user statusCode=200 "$user_1"
invoke http2 user-staged statusCode=200 "$user_1"
invoke alb user statusCode=200 "$user_1"
invoke alb-multi user statusCode=200 "$user_1"
invoke rest user-wrong-method statusCode=405 \
    'multiValueHeaders.allow=["GET, DELETE, HEAD, OPTIONS"]'
invoke http2 users-options statusCode=204 'headers.allow="GET, POST, HEAD, OPTIONS"' 'body=""'
invoke http2 user-head statusCode=200 'headers.content-length="21"' \
    'headers.content-type="application/json"' 'body=""'

# CORS for the browser app (examples/src/crud.rs): on a success, an error, the panic's 500, the
# timeout's 504 and a preflight; nothing for another origin. (Through the function URL emulator
# they cannot be seen: like a function URL with its own CORS configuration, it adds its own.)
APP_ORIGIN='"https://app.example.com"'
invoke rest cors-user statusCode=200 "multiValueHeaders.access-control-allow-origin=[$APP_ORIGIN]" \
    'multiValueHeaders.access-control-allow-credentials=["true"]' 'multiValueHeaders.vary=["origin"]'
invoke http2 cors-user statusCode=200 "headers.access-control-allow-origin=$APP_ORIGIN" \
    'headers.access-control-allow-credentials="true"' 'headers.vary="origin"'
invoke http2 cors-other-origin statusCode=200 '!headers.access-control-allow-origin' 'headers.vary="origin"'
invoke http2 cors-preflight statusCode=204 "headers.access-control-allow-origin=$APP_ORIGIN" \
    'headers.access-control-allow-methods="GET, DELETE, HEAD, OPTIONS"' \
    'headers.access-control-allow-headers="content-type"' 'headers.access-control-max-age="600"'
invoke http2 cors-error statusCode=400 "headers.access-control-allow-origin=$APP_ORIGIN"
invoke alb cors-panic statusCode=500 "headers.access-control-allow-origin=$APP_ORIGIN"
invoke http2 cors-timeout statusCode=504 "headers.access-control-allow-origin=$APP_ORIGIN"

# Events lambda_http cannot read or convert: answered 400 with a problem body, not a bare 502.
invoke rest bad-header statusCode=400 \
    'multiValueHeaders.content-type=["application/problem+json"]' 'body~could not be read'
invoke http2 bad-query statusCode=400 'headers.content-type="application/problem+json"' \
    'body~percent-encode'
invoke alb bad-base64 statusCode=400 'statusDescription="400 Bad Request"' 'body~not valid base64'

LABEL="no envelope carries the secret"
SHOW=()
if grep -l "$SECRET" "$OUT"/envelopes/*.json; then PROBLEMS+=("the secret was sent"); fi
finish

stop_watch
say "watch stopped; took $((SECONDS - started)) s"
echo "e2e: $passed passed, $failed failed"
if ((failed > 0)); then exit 1; fi
