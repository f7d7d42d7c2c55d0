#!/usr/bin/env bash
# The contract, judged by outside tools: the users service of examples/src/crud.rs, served by
# `cargo lambda watch`, against the OpenAPI document it serves itself.
#
#   bash tests/contract/run.sh
#
# 1. openapi-spec-validator (OpenAPI 3.1) on the committed document, examples/openapi/crud.json,
#    and on the one the function serves at GET /openapi.json;
# 2. schemathesis, every check (server errors, status codes, content types, headers and bodies
#    against the document, valid requests accepted, invalid ones rejected with a documented 4xx,
#    405 with Allow for an undocumented method) in every phase, the stateful one included
#    (links inferred from the document and from `location`: a created user readable where
#    `location` says, a deleted one gone).
#
# Needs Linux (setsid, from util-linux), the Rust toolchain, python3 (with venv and pip: the tools
# are installed from PyPI into target/contract-venv once, at the pinned versions below) and curl.
# No AWS account. Environment:
# CONTRACT_PORT (default 9100) sets the emulator's port, CONTRACT_EXAMPLES (default 100) the
# examples schemathesis generates per operation and phase.
#
# Ends with `contract: N passed, M failed`; exits non-zero on any failure. The emulator's log and
# schemathesis' reports stay in target/contract/. Every process it starts is stopped on exit.
set -euo pipefail
set -o errtrace
trap 'echo "contract: line $LINENO: \"$BASH_COMMAND\" failed" >&2' ERR
cd "$(dirname "$0")/../.."
ROOT=$PWD

CARGO_LAMBDA_VERSION=1.9.2          # the e2e run's (tests/e2e/run.sh)
SCHEMATHESIS_VERSION=4.32.5         # pip index versions schemathesis
OPENAPI_SPEC_VALIDATOR_VERSION=0.9.0 # pip index versions openapi-spec-validator
PORT=${CONTRACT_PORT:-9100}
EXAMPLES=${CONTRACT_EXAMPLES:-100}
VENV=$ROOT/target/contract-venv
OUT=$ROOT/target/contract
URL=http://127.0.0.1:$PORT/lambda-url/crud
SEED=20261207 # a fixed seed: a run is repeatable, and a failure can be replayed

say() { printf 'contract: %s\n' "$*"; }

export PATH=$VENV/bin:$PATH
installed() {
    [[ "$(cargo lambda --version 2>/dev/null)" == "cargo-lambda $CARGO_LAMBDA_VERSION "* ]] &&
        [[ "$(st --version 2>/dev/null)" == *"$SCHEMATHESIS_VERSION"* ]] &&
        "$VENV/bin/pip" show openapi-spec-validator 2>/dev/null | grep -x "Version: $OPENAPI_SPEC_VALIDATOR_VERSION" >/dev/null
}
if ! installed; then
    say "installing schemathesis $SCHEMATHESIS_VERSION, openapi-spec-validator $OPENAPI_SPEC_VALIDATOR_VERSION and cargo-lambda $CARGO_LAMBDA_VERSION into target/contract-venv"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check \
        "schemathesis==$SCHEMATHESIS_VERSION" "openapi-spec-validator==$OPENAPI_SPEC_VALIDATOR_VERSION"
    # --no-deps: its one dependency is ziglang (~450 MB), needed only by `cargo lambda build`.
    "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps \
        "cargo-lambda==$CARGO_LAMBDA_VERSION"
fi
say "$(st --version), openapi-spec-validator $OPENAPI_SPEC_VALIDATOR_VERSION, $(cargo lambda --version)"

say "building the users service (examples/src/bin/crud.rs)"
cargo build --quiet -p lambda-proxy-examples --bin crud

rm -rf "$OUT"
mkdir -p "$OUT"

passed=0
failed=0
check() { # LABEL COMMAND...: one line, ok or FAIL with the command's output
    local label=$1 log
    shift
    log=$OUT/$(echo "$label" | tr -c 'a-z0-9' '-').log
    if "$@" >"$log" 2>&1; then
        passed=$((passed + 1))
        printf 'ok    %s\n' "$label"
    else
        failed=$((failed + 1))
        printf 'FAIL  %s\n' "$label"
        sed 's/^/      /' "$log"
    fi
}

check "openapi-spec-validator: examples/openapi/crud.json is a valid OpenAPI 3.1 document" \
    openapi-spec-validator examples/openapi/crud.json

# Every kind of handler, parameter, answer and error of tests/tests/openapi.rs in one document,
# written by that test into cargo's temporary directory for integration tests.
TMP=${CARGO_TARGET_DIR:-$ROOT/target}/tmp
rm -f "$TMP/openapi-every-kind.json" "$TMP/openapi-every-kind-api-gateway.json"
check "tests/tests/openapi.rs writes the document of every kind" \
    cargo test --quiet -p lambda-proxy-tests --test openapi every_kind_of_document_is_written_for_the_validator
check "openapi-spec-validator: the document of every kind (tests/tests/openapi.rs) is a valid OpenAPI 3.1 document" \
    openapi-spec-validator "$TMP/openapi-every-kind.json"
# API Gateway writes a greedy path parameter `{name+}` and names its parameter `name` (its
# documentation's own examples do), which OpenAPI's path templates do not know: the validator
# judges a copy in which `{name+}` reads `{name}`, and everything else as API Gateway takes it.
python3 -c '
import json, re, sys
document = json.load(open(sys.argv[1]))
document["paths"] = {re.sub(r"\{([^}]+)\+\}", r"{\1}", path): item for path, item in document["paths"].items()}
json.dump(document, open(sys.argv[2], "w"), indent=2)
' "$TMP/openapi-every-kind-api-gateway.json" "$OUT/api-gateway-for-the-validator.json"
check "openapi-spec-validator: its API Gateway import is a valid OpenAPI 3.0 document (greedy paths aside)" \
    openapi-spec-validator "$OUT/api-gateway-for-the-validator.json"

# ---------------------------------------------------------------------------------------------
# `cargo lambda watch` in its own process group, stopped on exit.

# shellcheck source=tests/watch.sh
source "$ROOT/tests/watch.sh"
start_watch crud "$PORT" "$OUT/watch.log" CONTRACT_PORT
wait_ready "$URL/openapi.json" "$OUT/watch.log"
# The emulator has once answered this second request with a 500 of its own
# (`https://httpstatuses.com/500`) while the function's log shows its 200: fetch again, at most
# three times, and say so, rather than judge the emulator's error page as the document.
for attempt in 1 2 3; do
    code=$(curl -s --max-time 10 -o "$OUT/served.json" -w '%{http_code}' "$URL/openapi.json" || true)
    [[ $code == 200 ]] && break
    say "GET /openapi.json answered $code (attempt $attempt): $(head -c 200 "$OUT/served.json")"
    sleep 1
done

check "openapi-spec-validator: the document GET /openapi.json serves is a valid OpenAPI 3.1 document" \
    openapi-spec-validator "$OUT/served.json"

# Every check, every phase; the emulator's one known limitation set aside by the hooks (see
# tests/contract/hooks.py), each case recorded.
export PYTHONPATH=$ROOT/tests/contract SCHEMATHESIS_HOOKS=hooks CONTRACT_OUT=$OUT
# In target/contract, where it keeps its cache (.schemathesis/).
check "schemathesis $SCHEMATHESIS_VERSION: every check, every phase, against GET /openapi.json" \
    env -C "$OUT" st run "$URL/openapi.json" --url "$URL" --checks all \
    --phases examples,coverage,fuzzing,stateful --max-examples "$EXAMPLES" --seed "$SEED" \
    --no-color --report junit,ndjson --report-dir "$OUT/reports"
set_aside=0
if [[ -f $OUT/emulator-limits.txt ]]; then
    set_aside=$(wc -l <"$OUT/emulator-limits.txt")
fi
say "schemathesis: $(grep -Eo '[0-9]+ generated' "$OUT"/schemathesis-*.log | head -1) test cases; $set_aside set aside as the emulator's (a body that is not UTF-8, see target/contract/emulator-limits.txt)"

say "$passed passed, $failed failed"
((failed == 0))
