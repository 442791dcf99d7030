#!/usr/bin/env bash
# The README's test command: every test (unit, golden, conformance, interoperability).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-dependencies.sh
swift build --build-tests
swift test --skip-build
# The load test (50 concurrent create flows against one ehcert-sandbox serve) runs alone: beside
# the other suites it would take the cores their timeouts count on.
EHCERT_LOAD_TEST=1 swift test --skip-build --filter SandboxLoadTests
