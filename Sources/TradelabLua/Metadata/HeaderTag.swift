/// A tag of the strategy header (`-- @name EMA Crossover`).
enum HeaderTag: String, CaseIterable, Sendable {
    case name, description, author, indicators, context, symbols, risk, param

    /// Tags whose value is a list separated by commas and/or spaces.
    var isList: Bool { self == .indicators || self == .context || self == .symbols }

    /// "@name, @description, ..." for messages.
    static let listText = allCases.map { "@" + $0.rawValue }.joined(separator: ", ")
}
