// libFuzzer entry point for the FastAGI codec (Sources/AGIHandlers/Codec). Built by
// `fuzz/run.sh agi` together with the codec sources; not part of the SwiftPM package.

/// Small limits so that the fuzzer reaches the limit paths with short inputs.
private let maximumLineLength = 256
private let environmentLimits = AGIEnvironmentDecoder.Limits(maximumBytes: 1024, maximumLines: 16)
private let maximumUsageLines = 8

/// One thing the server side makes of a connection's bytes.
private enum Decoded: Equatable {
    case environment(AGIEnvironment)
    case hangup
    case response(AGIResponse)
    /// The error that ended the session.
    case error(AGIProtocolError)
}

/// What the server side makes of a connection's bytes: the environment, then each response or hangup, up to the
/// first error, which ends the session.
private func decode(_ chunks: [UnsafeRawBufferPointer]) -> [Decoded] {
    var framer = AGILineFramer(maximumLineLength: maximumLineLength)
    var environment: AGIEnvironmentDecoder? = AGIEnvironmentDecoder(limits: environmentLimits)
    var responses = AGIResponseDecoder(maximumUsageLines: maximumUsageLines)
    var outputs: [Decoded] = []
    for chunk in chunks {
        framer.append(contentsOf: chunk)
        do {
            while let line = try framer.nextLine() {
                precondition(line.utf8.count <= maximumLineLength * 3, "a line outgrew its limit")  // U+FFFD is 3 bytes
                if var decoder = environment {
                    if let decoded = try decoder.lineReceived(line) {
                        let request = decoded.request
                        precondition(request.parameters.count <= AGIScriptRequest.maximumParameterCount, "too many parameters")
                        precondition(!request.name.hasPrefix("/"), "the script name kept a leading slash")
                        outputs.append(.environment(decoded))
                        environment = nil
                    } else {
                        environment = decoder
                    }
                    continue
                }
                switch try responses.lineReceived(line) {
                case .hangup: outputs.append(.hangup)
                case .response(let response):
                    outputs.append(.response(response))
                    responses = AGIResponseDecoder(maximumUsageLines: maximumUsageLines)
                case nil: break
                }
            }
        } catch {
            // Errors are logged: they must be one line of printable text, whatever the peer sent.
            let description = error.description
            precondition(!description.utf8.contains { $0 < 0x20 || $0 == 0x7F }, "an error description holds control bytes")
            outputs.append(.error(error))
            return outputs
        }
        // Memory stays bounded: one unfinished line, however hostile the input.
        precondition(framer.bufferedByteCount <= maximumLineLength + 1 + chunk.count, "the framer buffered past its limit")
    }
    return outputs
}

/// Reads one quoted argument back the way Asterisk's `parse_args()` in `res/res_agi.c` does: `\` takes the next
/// byte as it is, `"` opens and closes quoting, and outside quotes a space or a tab ends the argument.
private func asteriskArguments(_ line: ArraySlice<UInt8>) -> [[UInt8]] {
    var arguments: [[UInt8]] = []
    var current: [UInt8] = []
    var quoted = false, escaped = false, started = false
    for byte in line {
        if escaped {
            current.append(byte)
            escaped = false
        } else if byte == UInt8(ascii: "\\") {
            escaped = true
            started = true
        } else if byte == UInt8(ascii: "\"") {
            quoted.toggle()
            started = true
        } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t"), !quoted {
            if started { arguments.append(current) }
            current = []
            started = false
        } else {
            current.append(byte)
            started = true
        }
    }
    if started { arguments.append(current) }
    return arguments
}

/// Any text as a `SET VARIABLE` value is either refused or sent as exactly one line that Asterisk reads back as
/// the same four arguments, the value unchanged: no caller-controlled value can start a second command.
private func checkCommandEncoding(_ value: String) {
    guard let command = try? AGICommand.setVariable("ROUTE_EMPLOYEE_NAME", value), let line = try? command.encoded()
    else {
        // Refused: only for CR, LF or NUL in the value, or a line past Asterisk's command buffer.
        let refusable = value.utf8.contains { $0 == 0x0A || $0 == 0x0D || $0 == 0 }
            || value.utf8.count + 40 > AGICommand.maximumLineLength
        precondition(refusable, "a safe value was refused")
        return
    }
    precondition(line.last == 0x0A && line.dropLast().allSatisfy { $0 != 0x0A && $0 != 0x0D && $0 != 0 }, "not one line")
    precondition(line.count <= AGICommand.maximumLineLength, "longer than Asterisk's command buffer")
    let arguments = asteriskArguments(line.dropLast())
    precondition(arguments.count == 4, "Asterisk would read \(arguments.count) arguments")
    precondition(arguments[3] == Array(value.utf8), "Asterisk would read another value")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAGICodec(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    // The same bytes must decode the same way in one piece and in pieces.
    guard let input = ChunkedInput(start, count: count) else { return 0 }
    _ = input.decodedAlikeWholeAndInChunks(decode)
    checkCommandEncoding(String(decoding: input.data, as: UTF8.self))
    return 0
}
