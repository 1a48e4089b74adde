import Foundation

extension WorkerEvent {
    /// The event as one JSON line (with its newline), as the worker writes it.
    ///
    /// `state` events, the frequent ones, are written by hand: Foundation's `JSONEncoder` needs
    /// about a millisecond for a state with a 400-point curve, which at one state per few bars
    /// would cost more than the backtest. The output is what `JSONEncoder` with sorted keys
    /// writes, field for field (a test decodes it back and compares).
    public func jsonLine() throws -> Data {
        var text: String
        if type == .state, let state, status == nil, summary == nil, code == nil, message == nil, totalCandles == nil, runs == nil {
            text = "{\"state\":"
            state.writeJSON(to: &text)
            text += ",\"type\":\"state\"}"
        } else {
            text = String(decoding: try JSONCoding.encoder().encode(self), as: UTF8.self)
        }
        text += "\n"
        return Data(text.utf8)
    }
}

extension LiveState {
    /// Appends the state as a JSON object with sorted keys, numbers in their shortest exact form
    /// and non-finite numbers as the strings "NaN", "Infinity", "-Infinity" (as ``JSONCoding``).
    func writeJSON(to out: inout String) {
        let json = JSONWriter(out: out)
        json.object {
            json.field("currentCandleIndex") { json.int(currentCandleIndex) }
            json.field("currentCapital") { json.number(currentCapital) }
            if let currentTime { json.field("currentTime") { json.string(currentTime) } }
            json.field("drawdown") { json.number(drawdown) }
            json.field("metrics") {
                json.object {
                    json.field("equityCurve") {
                        json.array(metrics.equityCurve) { point in
                            json.object {
                                json.field("time") { json.int(Int(point.time)) }
                                json.field("value") { json.number(point.value) }
                            }
                        }
                    }
                    json.field("losingTrades") { json.int(metrics.losingTrades) }
                    json.field("totalPnl") { json.number(metrics.totalPnl) }
                    json.field("totalTrades") { json.int(metrics.totalTrades) }
                    json.field("winRate") { json.number(metrics.winRate) }
                    json.field("winningTrades") { json.int(metrics.winningTrades) }
                }
            }
            json.field("openTrades") { json.int(openTrades) }
            json.field("peakCapital") { json.number(peakCapital) }
            json.field("progressPercent") { json.number(progressPercent) }
            json.field("recentSignals") {
                json.array(recentSignals) { s in
                    json.object {
                        json.field("action") { json.string(s.action) }
                        if let price = s.price { json.field("price") { json.number(price) } }
                        json.field("run") { json.int(s.run) }
                        json.field("side") { json.string(s.side) }
                        json.field("status") { json.string(s.status) }
                        json.field("time") { json.string(s.time) }
                    }
                }
            }
            json.field("recentTrades") {
                json.array(recentTrades) { t in
                    json.object {
                        json.field("entryPrice") { json.number(t.entryPrice) }
                        json.field("entryTime") { json.string(t.entryTime) }
                        json.field("exitPrice") { json.number(t.exitPrice) }
                        json.field("exitReason") { json.string(t.exitReason) }
                        json.field("exitTime") { json.string(t.exitTime) }
                        json.field("pnl") { json.number(t.pnl) }
                        json.field("pnlPercent") { json.number(t.pnlPercent) }
                        json.field("run") { json.int(t.run) }
                        json.field("side") { json.string(t.side) }
                    }
                }
            }
            json.field("run") { json.int(run) }
            json.field("runs") { json.int(runs) }
            json.field("status") { json.string(status) }
            json.field("totalCandles") { json.int(totalCandles) }
        }
        out = json.out
    }
}

/// A minimal JSON writer for hand-encoded hot paths (a class, so nested closures can share it).
/// Callers write keys in sorted order.
final class JSONWriter {
    var out: String
    private var needsComma = false

    init(out: String) { self.out = out }

    func object(_ body: () -> Void) {
        out += "{"
        needsComma = false
        body()
        out += "}"
        needsComma = true
    }

    func array<T>(_ items: [T], _ element: (T) -> Void) {
        out += "["
        needsComma = false
        for item in items {
            if needsComma { out += "," }
            element(item)
            needsComma = true
        }
        out += "]"
        needsComma = true
    }

    func field(_ key: String, _ value: () -> Void) {
        if needsComma { out += "," }
        out += "\""
        out += key
        out += "\":"
        needsComma = false
        value()
        needsComma = true
    }

    func int(_ value: Int) { out += String(value) }

    func number(_ value: Double) {
        if value.isNaN { out += "\"NaN\"" }
        else if value.isInfinite { out += value > 0 ? "\"Infinity\"" : "\"-Infinity\"" }
        else if value == value.rounded(), abs(value) < 1e15, value != 0 || value.sign == .plus { out += String(Int64(value)) }
        else { out += "\(value)" }
    }

    func string(_ value: String) {
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
