#!/usr/bin/env bash
# The README's test command: every test (unit, golden, conformance, interoperability).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-dependencies.sh
swift build --build-tests
swift test --skip-build
