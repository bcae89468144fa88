#!/usr/bin/env bash
# Fuzzes the decoders of what calljournal reads from the network, with libFuzzer and AddressSanitizer.
#
#   fuzz/run.sh [ami|agi]                       build, seed the corpus from the recorded traces, fuzz for 10 minutes
#   fuzz/run.sh [ami|agi] -max_total_time=60 …  any libFuzzer flags replace the default run length
#   fuzz/run.sh [ami|agi] build                 only build fuzz/.work/<target>-fuzz
#   fuzz/run.sh [ami|agi] replay FILE…          run the fuzzer binary once over the given inputs (crash reproduction)
#
# ami (the default): the AMI decoder, Sources/AMIClient/Codec. agi: the FastAGI codec, Sources/AGIHandlers/Codec
# (line framer, environment and response decoders, command encoding).
# Crashes land in fuzz/crashes/ (<target>-crash-<sha1>); turn each into a regression test
# (Tests/AMIClientTests/AMIDecoderRegressionTests.swift, Tests/AGIHandlersTests/Codec/). See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."

target=ami
case "${1:-}" in
ami | agi)
    target=$1
    shift
    ;;
esac

work=fuzz/.work
corpus=$work/corpus-$target
crashes=fuzz/crashes
binary=$work/$target-fuzz
mkdir -p "$work" "$corpus" "$crashes"
# The Swift runtime's own crash handler would race libFuzzer's and bury the report.
export SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=no}"

swiftc_flags=(-parse-as-library -O -sanitize=fuzzer,address -swift-version 6
    -enable-upcoming-feature ExistentialAny -enable-upcoming-feature InternalImportsByDefault)

build() {
    case $target in
    ami)
        # AMIModel is its own module, as in the package, so the codec's `import AMIModel` is unchanged.
        swiftc "${swiftc_flags[@]}" -module-name AMIModel -emit-module -emit-module-path "$work/AMIModel.swiftmodule" \
            -emit-object -wmo -o "$work/AMIModel.o" Sources/AMIModel/*.swift
        swiftc "${swiftc_flags[@]}" -module-name AMIDecoderFuzz -I "$work" \
            Sources/AMIClient/Codec/*.swift fuzz/AMIDecoderFuzz.swift fuzz/ChunkedInput.swift "$work/AMIModel.o" -o "$binary"
        ;;
    agi)
        # The FastAGI codec imports nothing.
        swiftc "${swiftc_flags[@]}" -module-name AGICodecFuzz \
            Sources/AGIHandlers/Codec/*.swift fuzz/AGICodecFuzz.swift fuzz/ChunkedInput.swift -o "$binary"
        ;;
    esac
}

seed() {
    python3 - "$target" "$corpus" <<'PY'
import hashlib, pathlib, sys
target, corpus = sys.argv[1], pathlib.Path(sys.argv[2])
traces = pathlib.Path("Tests/Fixtures/asterisk-traces")
seen = set()
def put(data):
    digest = hashlib.sha1(data).hexdigest()
    if digest not in seen:
        seen.add(digest)
        (corpus / ("seed-" + digest)).write_bytes(data)
if target == "ami":
    # One seed per recorded message (4 split bytes + the message), plus each trace's opening.
    for raw in sorted(traces.glob("*/ami.raw")):
        data = raw.read_bytes()
        put(b"\x07\x0d\x01\x40" + data[:4096])
        for message in data.split(b"\r\n\r\n"):
            if message:
                put(b"\x03\x11\x05\x20" + message + b"\r\n\r\n")
    # Command output in the legacy Response: Follows form, which the traces do not contain.
    put(b"\x05\x05\x05\x05Response: Follows\r\nPrivilege: Command\r\nActionID: 1\r\nline one\nline: two\n--END COMMAND--\r\n\r\n")
else:
    # Every recorded session as Asterisk sent it, and every command the server sent (values to encode).
    for raw in sorted(traces.glob("*/agi-*.asterisk.raw")):
        put(b"\x07\x0d\x01\x40" + raw.read_bytes())
    for raw in sorted(traces.glob("*/agi-*.stub.raw")):
        for line in raw.read_bytes().split(b"\n"):
            if line:
                put(b"\x03\x11\x05\x20" + line)
    # A multi-line 520 usage body, which the traces do not contain.
    put(b"\x05\x05\x05\x05agi_network_script: route\n\n520-Invalid command syntax.  Proper usage follows:\nUsage: GET DATA\n520 End of proper usage.\n")
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
    "$binary" "$corpus" -artifact_prefix="$crashes/$target-" -max_len=8192 -print_final_stats=1 "${flags[@]}"
    ;;
esac
