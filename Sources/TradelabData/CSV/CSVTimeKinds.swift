/// The time forms seen in a file's time column, as bits (for ``LoadedBars/timeFormat`` and the
/// note on mixtures).
struct CSVTimeKinds: OptionSet {
    let rawValue: UInt8
    static let seconds = CSVTimeKinds(rawValue: 1)
    static let milliseconds = CSVTimeKinds(rawValue: 2)
    static let microseconds = CSVTimeKinds(rawValue: 4)
    static let nanoseconds = CSVTimeKinds(rawValue: 8)
    static let date = CSVTimeKinds(rawValue: 16)
    static let dateTime = CSVTimeKinds(rawValue: 32)
    static let pair = CSVTimeKinds(rawValue: 64)

    init(rawValue: UInt8) { self.rawValue = rawValue }

    init(_ unit: EpochUnit) {
        switch unit {
        case .seconds: self = .seconds
        case .milliseconds: self = .milliseconds
        case .microseconds: self = .microseconds
        case .nanoseconds: self = .nanoseconds
        }
    }

    /// The format reported for a file whose first row had these kinds.
    var format: TimeFormat {
        if contains(.pair) { return .dateAndTimeColumns }
        if contains(.dateTime) { return .dateTime }
        if contains(.date) { return .date }
        if contains(.milliseconds) { return .epoch(.milliseconds) }
        if contains(.microseconds) { return .epoch(.microseconds) }
        if contains(.nanoseconds) { return .epoch(.nanoseconds) }
        return .epoch(.seconds)
    }

    /// Display names of the kinds present ("epoch seconds", "date-times", ...).
    var names: [String] {
        let all: [(CSVTimeKinds, String)] = [
            (.seconds, "epoch seconds"), (.milliseconds, "epoch milliseconds"), (.microseconds, "epoch microseconds"),
            (.nanoseconds, "epoch nanoseconds"), (.date, "dates"), (.dateTime, "date-times"),
        ]
        return all.filter { contains($0.0) }.map(\.1)
    }
}
