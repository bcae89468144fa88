// Shared by the libFuzzer entry points in fuzz/ (compiled into each by fuzz/run.sh).

/// A fuzzer input read as a stream and a way to split it: the first 4 bytes are the sizes of the chunks the rest
/// is fed in (cycled), so that the fuzzer explores where a peer's bytes happen to be cut by the network.
struct ChunkedInput {
    /// The stream: the input after its first 4 bytes.
    let data: UnsafeRawBufferPointer
    private let sizes: UnsafeRawBufferPointer

    init?(_ start: UnsafeRawPointer?, count: Int) {
        guard let start else { return nil }
        let input = UnsafeRawBufferPointer(start: start, count: count)
        sizes = UnsafeRawBufferPointer(rebasing: input.prefix(4))
        data = UnsafeRawBufferPointer(rebasing: input.dropFirst(4))
    }

    /// The stream cut into chunks of the chosen sizes (a zero size counts as one).
    var chunks: [UnsafeRawBufferPointer] {
        guard !sizes.isEmpty else { return [data] }
        var chunks: [UnsafeRawBufferPointer] = []
        var offset = 0
        while offset < data.count {
            let end = min(data.count, offset + max(1, Int(sizes[chunks.count % sizes.count])))
            chunks.append(UnsafeRawBufferPointer(rebasing: data[offset..<end]))
            offset = end
        }
        return chunks
    }

    /// Decodes the stream in one piece and in chunks, traps if the two differ, and returns what was decoded.
    func decodedAlikeWholeAndInChunks<Output: Equatable>(_ decode: ([UnsafeRawBufferPointer]) -> Output) -> Output {
        let whole = decode(data.isEmpty ? [] : [data])
        precondition(whole == decode(chunks), "splitting the input changed what was decoded")
        return whole
    }
}
