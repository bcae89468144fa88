import Foundation

/// Sets of time intervals, each a sorted list of disjoint `(start, end)` pairs: the conversation of a call is the
/// union of its legs' answered intervals, less the time it spent on hold.
enum Intervals {
    typealias Interval = (start: Date, end: Date)

    /// The union of any intervals, sorted and disjoint.
    static func union(_ intervals: [(Date, Date)]) -> [Interval] {
        var result: [Interval] = []
        for interval in intervals.sorted(by: { $0.0 < $1.0 }) where interval.1 > interval.0 {
            if let last = result.last, interval.0 <= last.end {
                result[result.count - 1].end = max(last.end, interval.1)
            } else {
                result.append((interval.0, interval.1))
            }
        }
        return result
    }

    /// The intersection of two sorted, disjoint lists.
    static func intersect(_ first: [Interval], _ second: [(Date, Date)]) -> [Interval] {
        var result: [Interval] = []
        var i = 0, j = 0
        while i < first.count, j < second.count {
            let start = max(first[i].start, second[j].0), end = min(first[i].end, second[j].1)
            if end > start { result.append((start, end)) }
            if first[i].end < second[j].1 { i += 1 } else { j += 1 }
        }
        return result
    }

    /// The total length in seconds.
    static func measure(_ intervals: [Interval]) -> Double {
        intervals.reduce(0) { $0 + $1.end.timeIntervalSince($1.start) }
    }
}
