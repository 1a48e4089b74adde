import Testing
import TradelabCore
@testable import TradelabData

/// Every kind of loader error, with the exact text a user sees.
@Suite struct CSVLoaderErrorTests {
    static let header = "time,open,high,low,close,volume\n"
    static let good = "2024-01-02 00:00:00,100,102,99.5,101.5,10\n"

    static let cases: [(text: String, expected: String)] = [
        // Parsing.
        (header + good + "2024-01-02 00:01:00,101,102,100,abc,1\n",
         "prices.csv:3: column 'close': 'abc' is not a number"),
        (header + good + "2024-01-02 00:01:00,101,102,100,101\n",
         "prices.csv:3: found 5 fields, expected 6 (time, open, high, low, close, volume)"),
        (header + good + "2024-01-02 00:01:00,101,102,100,101,1,7\n",
         "prices.csv:3: found 7 fields, expected 6 (time, open, high, low, close, volume)"),
        (header + good + "2024-01-02 00:01:00,,102,100,101,1\n",
         "prices.csv:3: column 'open': empty value; open, high, low and close are required on every row"),
        (header + good + "2024-01-02 00:01:00,101,102,100,101,many\n",
         "prices.csv:3: column 'volume': 'many' is not a number"),
        (header + good + "2024-13-02 00:01:00,101,102,100,101,1\n",
         "prices.csv:3: column 'time': '2024-13-02 00:01:00' is not a time; expected an ISO 8601 date or date-time (2024-01-02, 2024-01-02 03:04:05, 2024-01-02T03:04:05.123+02:00) or epoch seconds, milliseconds, microseconds or nanoseconds"),
        (header + good + ",101,102,100,101,1\n",
         "prices.csv:3: column 'time': empty time; every row needs one"),
        ("Date,Time,Open,High,Low,Close\n2024-01-02,10:00,1,1,1,1\n2024-01-02,10:61,1,1,1,1\n",
         "prices.csv:3: column 'Time': '10:61' is not a time of day; expected HH:MM, HH:MM:SS or HH:MM:SS.fff"),
        ("Date,Time,Open,High,Low,Close\n2024-01-02,10:00,1,1,1,1\n2024-02-30,10:01,1,1,1,1\n",
         "prices.csv:3: column 'Date': '2024-02-30' is not a date; expected 2024-01-02, 2024/01/02, 2024.01.02 or 02.01.2024"),
        ("2024-01-02,1,1,1,abc\n",
         "prices.csv:1: column 'close': 'abc' is not a number"),
        // Columns.
        ("when,open,high,low,close\n2024-01-02,1,1,1,1\n",
         "prices.csv:1: no time column in the header (when, open, high, low, close); name it one of time, timestamp, date, datetime, open_time, ts, unix, or leave the first header empty like a pandas index"),
        ("time,open,high,low,last\n2024-01-02,1,1,1,1\n",
         "prices.csv:1: no 'close' column in the header (time, open, high, low, last); accepted names: close, c"),
        ("2024-01-02,1,1,1,1,1,1\n",
         "prices.csv:1: no header and 7 columns; without a header the loader reads 5 or 6 columns (time, open, high, low, close[, volume]), 12 (Binance klines) or date, time, open, high, low, close[, volume]; add a header line naming the columns"),
        // Empty input.
        ("", "prices.csv: the file is empty"),
        ("\n\r\n  \n", "prices.csv: the file is empty"),
        (header, "prices.csv:2: no data rows after the header"),
        (header + "\n\n", "prices.csv:2: no data rows after the header"),
        // BarSeries validation, with the file line.
        (header + good + "2024-01-02 00:01:00,101,99,100,101,1\n",
         "prices.csv:3: column 'low': low 100.0 is above high 99.0"),
        (header + good + "2024-01-02 00:01:00,103,102,100,101,1\n",
         "prices.csv:3: column 'open': open 103.0 is outside low..high [100.0, 102.0]"),
        (header + good + "2024-01-02 00:01:00,101,102,100,101,-1\n",
         "prices.csv:3: column 'volume': volume -1.0 is negative"),
        (header + good + "2024-01-02 00:01:00,101,102,100,1e400,1\n",
         "prices.csv:3: column 'close': close is inf; values must be finite numbers"),
        (header + good + "\n" + good,
         "prices.csv:4: column 'time': timestamp 1704153600000 duplicates the previous one 1704153600000; timestamps must be strictly increasing"),
        (header + good + "2024-01-02 00:02:00,101,102,100,101,1\n2024-01-02 00:01:00,101,102,100,101,1\n",
         "prices.csv:4: column 'time': timestamp 1704153660000 is earlier than the previous one 1704153720000; timestamps must be strictly increasing"),
        ("time,open,high,low,close,volume,spread\n2024-01-02,1,1,1,1,1,1e999\n",
         "prices.csv:2: column 'spread': value is inf; use NaN or leave empty for missing"),
    ]

    @Test(arguments: cases)
    func errorNamesFileLineAndColumn(text: String, expected: String) {
        #expect(loadError(text) == expected)
    }

    @Test func utf16FilesAreRecognisedAndExplained() {
        let bytes: [UInt8] = [0xFF, 0xFE] + Array("t\0i\0m\0e\0".utf8)
        #expect(throws: DataFileError(file: "x.csv", reason: "the file is UTF-16 text (as Excel's \"Unicode text\" writes); save it as CSV UTF-8")) {
            try CSVLoader.parse(bytes: bytes, name: "x.csv")
        }
    }

    @Test func errorsCarryTheirParts() {
        do {
            _ = try load(Self.header + Self.good + "2024-01-02 00:01:00,101,102,100,abc,1\n", name: "eth.csv")
            Issue.record("expected an error")
        } catch {
            #expect(error.file == "eth.csv")
            #expect(error.line == 3)
            #expect(error.column == "close")
            #expect(error.reason == "'abc' is not a number")
        }
    }

    @Test func longValuesAreShortenedInMessages() {
        let long = String(repeating: "x", count: 100)
        #expect(loadError(Self.header + Self.good + "2024-01-02 00:01:00,101,102,100,\(long),1\n")
            == "prices.csv:3: column 'close': '\(String(repeating: "x", count: 37))...' is not a number")
    }

    @Test func headerlessErrorsUseRoleNames() {
        #expect(loadError("1704153600,1,2,1,x,5\n") == "prices.csv:1: column 'close': 'x' is not a number")
        #expect(loadError("1704153600,1,2,1,1,5\n1704153660,1,2,1,1\n") == "prices.csv:2: found 5 fields, expected 6 (time, open, high, low, close, volume)")
    }

    @Test func anErrorLineCountsQuotedLineBreaks() {
        let text = "time,open,high,low,close,note\n2024-01-02,1,1,1,1,\"two\nlines\"\n2024-01-03,1,1,1,x,\n"
        #expect(loadError(text) == "prices.csv:4: column 'close': 'x' is not a number")
    }
}
