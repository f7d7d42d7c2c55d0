#!/usr/bin/env bash
# Lints template.yaml with cfn-lint (the SAM transform included), installed from PyPI into a venv
# under target/ the first time. Needs python3 with venv and pip; nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/ci-venv
version=1.58.0
if ! "$venv/bin/cfn-lint" --version 2>/dev/null | grep -q "$version"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "cfn-lint==$version"
fi
"$venv/bin/cfn-lint" --version
"$venv/bin/cfn-lint" template.yaml
echo "cfn-lint: template.yaml is well-formed"
