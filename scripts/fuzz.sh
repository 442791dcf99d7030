#!/usr/bin/env bash
# scripts/fuzz.sh TARGET SECONDS [LIBFUZZER OPTION...]
#
# Builds one libFuzzer target (Tests/Fuzz) with -sanitize=fuzzer,address (AddressSanitizer,
# with LeakSanitizer, from the Swift toolchain's own compiler-rt) in .build-fuzz, seeds it from
# the traces of `ehcert demo --scenario all` (made once, in .build-fuzz/demo), and runs it for
# SECONDS. Targets: soap-response soap-fault signature pkcs12 etk csr-dn sandbox-request, or
# `all` (each for SECONDS, one after the other).
#
# Everything lands in .build-fuzz (ignored by git): corpus/TARGET (what libFuzzer found worth
# keeping), seeds/TARGET, findings/TARGET/{crash,leak,timeout,oom}-* and logs/TARGET.log.
# A finding reproduces with `.build-fuzz/release/fuzz-TARGET FILE` (same environment), or
# without sanitizers with `swift run fuzz-TARGET FILE`. Every finding becomes a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(soap-response soap-fault signature pkcs12 etk csr-dn sandbox-request)
usage() { echo "usage: scripts/fuzz.sh TARGET|all SECONDS [LIBFUZZER OPTION...]; TARGET one of: ${targets[*]}" >&2; exit 64; }
[[ $# -ge 2 ]] || usage
target=$1 seconds=$2
shift 2
[[ $seconds =~ ^[0-9]+$ ]] || usage
if [[ $target == all ]]; then
    for each in "${targets[@]}"; do "$0" "$each" "$seconds" "$@"; done
    exit 0
fi
[[ " ${targets[*]} " == *" $target "* ]] || usage

root=$PWD
fuzz=$root/.build-fuzz
demo=$fuzz/demo
# -sanitize=fuzzer instruments every Swift module for coverage and links libFuzzer; -D FUZZING
# makes the executables hand their target to libFuzzer instead of reading files. lld, because
# SwiftPM renames an executable's main with --defsym, which gold refuses next to libFuzzer's main.
flags=(-c release --scratch-path "$fuzz"
       -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
       -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld)

# 1. The demo's traces and work folder, once.
if [[ ! -f $demo/done ]]; then
    echo "fuzz.sh: running ehcert demo --scenario all for seeds" >&2
    swift build --product ehcert
    rm -rf "$demo"
    mkdir -p "$demo"
    "$(swift build --show-bin-path)/ehcert" demo --scenario all --workdir "$demo/work" --trace-dir "$demo/trace" > "$demo/demo.log"
    touch "$demo/done"
fi

# 2. The target.
swift build "${flags[@]}" --product "fuzz-$target"
binary=$(swift build "${flags[@]}" --show-bin-path)/fuzz-$target

# 3. Seeds, then fuzzing. The sandbox world is the demo's, so the traced requests' signers are known.
mkdir -p "$fuzz/corpus/$target" "$fuzz/findings/$target" "$fuzz/logs"
rm -rf "$fuzz/seeds/$target"
ASAN_OPTIONS=detect_leaks=0 "$binary" --make-seeds "$demo/work" "$demo/trace" "$fuzz/seeds/$target"
export EHCERT_FUZZ_SANDBOX=$demo/work/sandbox
# libFuzzer reports crashes itself; Swift's backtracer would only slow that down.
export SWIFT_BACKTRACE=enable=no
# Leaks are checked per input (libFuzzer); not at exit, where OpenSSL's providers, loaded once
# for the process, are still allocated by design. Not for the targets that hold a sandbox world:
# LeakSanitizer takes blocks the world still holds (through Data values, whose storage pointer
# Swift keeps with tag bits set) for leaks, on the first input (see README, Fuzzing).
case $target in
    signature|etk|sandbox-request) leaks=0 ;;
    *) leaks=1 ;;
esac
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=$leaks:leak_check_at_exit=0}
log=$fuzz/logs/$target.log
status=0
"$binary" "$fuzz/corpus/$target" "$fuzz/seeds/$target" \
    -max_total_time="$seconds" -timeout=1 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="$fuzz/findings/$target/" "$@" 2>&1 | tee "$log" || status=$?
echo "fuzz.sh: $target: log $log, findings in $fuzz/findings/$target" >&2
exit "$status"
