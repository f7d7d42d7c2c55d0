"""Schemathesis hooks for tests/contract/run.sh.

One known limitation of the local emulator, and nothing else, is set aside here: `cargo lambda
watch` cannot carry a request body that is not UTF-8 into a function URL event (AWS base64-encodes
such a body, with `isBase64Encoded: true`; the emulator answers 500 itself, before any invocation,
with its own `https://httpstatuses.com/500` problem in `text/plain`). Such a failure says nothing
about the function, which the testing kit checks with base64 bodies of every front door. Each one
set aside is recorded in target/contract/emulator-limits.txt, and run.sh prints the count.
"""

import os

import schemathesis

EMULATOR_500 = b'"type":"https://httpstatuses.com/500"'
RECORD = os.path.join(os.environ.get("CONTRACT_OUT", "."), "emulator-limits.txt")


def _body_bytes(request):
    body = request.body
    if body is None:
        return b""
    return body if isinstance(body, bytes) else body.encode("utf-8", "surrogateescape")


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """Keeps every failure but the emulator's own 500 for a body that is not UTF-8."""
    body = _body_bytes(response.request)
    try:
        body.decode("utf-8")
        utf8 = True
    except UnicodeDecodeError:
        utf8 = False
    emulator = response.status_code == 500 and EMULATOR_500 in (response.content or b"")
    if emulator and not utf8:
        with open(RECORD, "a", encoding="utf-8") as out:
            out.write(f"{response.request.method} {response.request.url} body={body!r}\n")
        return False
    return True
