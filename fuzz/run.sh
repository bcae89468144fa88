#!/usr/bin/env bash
# Fuzzes the AMI decoder with libFuzzer and AddressSanitizer.
#
#   fuzz/run.sh                 build, seed the corpus from the recorded traces, fuzz for 10 minutes
#   fuzz/run.sh -max_total_time=60 ...   any libFuzzer flags replace the default run length
#   fuzz/run.sh build           only build fuzz/.work/ami-decoder-fuzz
#   fuzz/run.sh replay FILE...  run the fuzzer binary once over the given inputs (crash reproduction)
#
# Crashes land in fuzz/crashes/ (crash-<sha1>); turn each into a regression test in
# Tests/AMIClientTests/AMIDecoderRegressionTests.swift. See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."

work=fuzz/.work
corpus=$work/corpus
crashes=fuzz/crashes
binary=$work/ami-decoder-fuzz
mkdir -p "$work" "$corpus" "$crashes"
# The Swift runtime's own crash handler would race libFuzzer's and bury the report.
export SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=no}"

swiftc_flags=(-parse-as-library -O -sanitize=fuzzer,address -swift-version 6
    -enable-upcoming-feature ExistentialAny -enable-upcoming-feature InternalImportsByDefault)

build() {
    # AMIModel is its own module, as in the package, so the codec's `import AMIModel` is unchanged.
    swiftc "${swiftc_flags[@]}" -module-name AMIModel -emit-module -emit-module-path "$work/AMIModel.swiftmodule" \
        -emit-object -wmo -o "$work/AMIModel.o" Sources/AMIModel/*.swift
    swiftc "${swiftc_flags[@]}" -module-name AMIDecoderFuzz -I "$work" \
        Sources/AMIClient/Codec/*.swift fuzz/AMIDecoderFuzz.swift "$work/AMIModel.o" -o "$binary"
}

seed() {
    # One seed per recorded message (4 split bytes + the message), plus each trace's opening.
    python3 - "$corpus" <<'PY'
import hashlib, os, pathlib, sys
corpus = pathlib.Path(sys.argv[1])
traces = pathlib.Path("Tests/Fixtures/asterisk-traces")
seen = set()
def put(data):
    digest = hashlib.sha1(data).hexdigest()
    if digest not in seen:
        seen.add(digest)
        (corpus / ("seed-" + digest)).write_bytes(data)
for raw in sorted(traces.glob("*/ami.raw")):
    data = raw.read_bytes()
    put(b"\x07\x0d\x01\x40" + data[:4096])
    for message in data.split(b"\r\n\r\n"):
        if message:
            put(b"\x03\x11\x05\x20" + message + b"\r\n\r\n")
# Command output in the legacy Response: Follows form, which the traces do not contain.
put(b"\x05\x05\x05\x05Response: Follows\r\nPrivilege: Command\r\nActionID: 1\r\nline one\nline: two\n--END COMMAND--\r\n\r\n")
print(f"{len(seen)} seeds in {corpus}")
PY
}

case "${1:-}" in
build) build ;;
replay)
    shift
    build
    "$binary" -runs=1 "$@"
    ;;
*)
    build
    seed
    flags=("$@")
    [ ${#flags[@]} -eq 0 ] && flags=(-max_total_time=600)
    "$binary" "$corpus" -artifact_prefix="$crashes/" -max_len=8192 -print_final_stats=1 "${flags[@]}"
    ;;
esac
