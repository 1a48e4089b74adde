import Foundation
import Testing
import TradelabCore
@testable import TradelabData

/// Dialects, column names and time formats that must all load as ``threeBars``.
@Suite struct CSVLoaderTests {
    static let plain = """
        time,open,high,low,close,volume
        2024-01-02 00:00:00,100,102,99.5,101.5,10
        2024-01-02 00:01:00,101.5,103,101,102,12.5
        2024-01-02 00:02:00,102,102.25,100.125,100.5,0

        """

    static let dialects: [(String, String)] = [
        ("plain", plain),
        ("no trailing newline", String(plain.dropLast())),
        ("CRLF", plain.replacingOccurrences(of: "\n", with: "\r\n")),
        ("BOM", "\u{FEFF}" + plain),
        ("BOM + CRLF", "\u{FEFF}" + plain.replacingOccurrences(of: "\n", with: "\r\n")),
        ("blank trailing lines", plain + "\n\n  \n\r\n"),
        ("blank leading lines", "\n\r\n" + plain),
        ("semicolons", plain.replacingOccurrences(of: ",", with: ";")),
        ("tabs", plain.replacingOccurrences(of: ",", with: "\t")),
        ("quoted everything", plain.split(separator: "\n").map { $0.split(separator: ",").map { "\"\($0)\"" }.joined(separator: ",") }.joined(separator: "\n")),
        ("quoted header, semicolons", """
            "time";"open";"high";"low";"close";"volume"
            2024-01-02T00:00:00Z;100;102;99.5;101.5;10
            2024-01-02T00:01:00Z;101.5;103;101;102;12.5
            2024-01-02T00:02:00Z;102;102.25;100.125;100.5;0
            """),
        ("spaces around fields", """
            time , open, high , low, close , volume
            2024-01-02 00:00:00 , 100 , 102, 99.5, 101.5, 10
            2024-01-02 00:01:00, 101.5, 103, 101, 102, 12.5
            2024-01-02 00:02:00, 102 , 102.25, 100.125, 100.5 , 0
            """),
        ("upper case names", plain.replacingOccurrences(of: "time,open,high,low,close,volume", with: "Timestamp,OPEN,High,Low,Close,Volume")),
        ("short names", plain.replacingOccurrences(of: "time,open,high,low,close,volume", with: "date,o,h,l,c,v")),
        ("vol", plain.replacingOccurrences(of: "time,open,high,low,close,volume", with: "datetime,open,high,low,close,vol")),
        ("open_time", plain.replacingOccurrences(of: "time,open,high,low,close,volume", with: "open_time,open,high,low,close,volume")),
        ("open time", plain.replacingOccurrences(of: "time,open,high,low,close,volume", with: "Open Time,open,high,low,close,volume")),
        ("MetaTrader brackets", plain.replacingOccurrences(of: "time,open,high,low,close,volume", with: "<TIME>,<OPEN>,<HIGH>,<LOW>,<CLOSE>,<VOL>")),
        ("reordered columns", """
            close,volume,time,high,low,open
            101.5,10,2024-01-02 00:00:00,102,99.5,100
            102,12.5,2024-01-02 00:01:00,103,101,101.5
            100.5,0,2024-01-02 00:02:00,102.25,100.125,102
            """),
        ("pandas index header", plain.replacingOccurrences(of: "time,open,high,low,close,volume", with: ",open,high,low,close,volume")),
        ("pandas Unnamed: 0", plain.replacingOccurrences(of: "time,open,high,low,close,volume", with: "Unnamed: 0,open,high,low,close,volume")),
        ("no header", String(plain.drop { $0 != "\n" }.dropFirst())),
        ("no header, epoch seconds", """
            1704153600,100,102,99.5,101.5,10
            1704153660,101.5,103,101,102,12.5
            1704153720,102,102.25,100.125,100.5,0
            """),
        ("epoch ms", """
            ts,open,high,low,close,volume
            1704153600000,100,102,99.5,101.5,10
            1704153660000,101.5,103,101,102,12.5
            1704153720000,102,102.25,100.125,100.5,0
            """),
        ("epoch µs", """
            unix,open,high,low,close,volume
            1704153600000000,100,102,99.5,101.5,10
            1704153660000000,101.5,103,101,102,12.5
            1704153720000000,102,102.25,100.125,100.5,0
            """),
        ("epoch ns", """
            time,open,high,low,close,volume
            1704153600000000000,100,102,99.5,101.5,10
            1704153660000000000,101.5,103,101,102,12.5
            1704153720000000000,102,102.25,100.125,100.5,0
            """),
        ("epoch seconds as decimals", """
            time,open,high,low,close,volume
            1704153600.0,100,102,99.5,101.5,10
            1704153660.000,101.5,103,101,102,12.5
            1.70415372e9,102,102.25,100.125,100.5,0
            """),
        ("zone offsets", """
            time,open,high,low,close,volume
            2024-01-02T02:00:00+02:00,100,102,99.5,101.5,10
            2024-01-01T19:01:00-0500,101.5,103,101,102,12.5
            2024-01-02T00:02:00Z,102,102.25,100.125,100.5,0
            """),
        ("slashes and scientific numbers", """
            time,open,high,low,close,volume
            2024/01/02 00:00,1e2,1.02e2,99.5,101.5,1E1
            2024/01/02 00:01,101.5,103,101,102,12.5
            2024/01/02 00:02,102,102.25,100.125,100.5,0.0
            """),
        ("date + time columns", """
            Date,Time,Open,High,Low,Close,Volume
            2024-01-02,00:00,100,102,99.5,101.5,10
            2024-01-02,00:01:00,101.5,103,101,102,12.5
            2024-01-02,00:02:00.000,102,102.25,100.125,100.5,0
            """),
        ("MetaTrader headerless date, time", """
            2024.01.02,00:00,100,102,99.5,101.5,10
            2024.01.02,00:01,101.5,103,101,102,12.5
            2024.01.02,00:02,102,102.25,100.125,100.5,0
            """),
        ("descending", """
            time,open,high,low,close,volume
            2024-01-02 00:02:00,102,102.25,100.125,100.5,0
            2024-01-02 00:01:00,101.5,103,101,102,12.5
            2024-01-02 00:00:00,100,102,99.5,101.5,10
            """),
        ("trailing separators on data lines", plain.split(separator: "\n").enumerated().map { $0.offset == 0 ? String($0.element) : $0.element + "," }.joined(separator: "\n")),
        ("trailing separators everywhere", plain.replacingOccurrences(of: "\n", with: ",\n")),
        ("empty volume cell", plain.replacingOccurrences(of: "100.5,0\n", with: "100.5,\n")),
        ("quoted field with escaped quote in a skipped column", """
            time,open,high,low,close,volume,comment
            2024-01-02 00:00:00,100,102,99.5,101.5,10,"say ""hi"", twice"
            2024-01-02 00:01:00,101.5,103,101,102,12.5,"multi
            line"
            2024-01-02 00:02:00,102,102.25,100.125,100.5,0,x
            """),
    ]

    @Test(arguments: dialects)
    func dialectLoadsTheSameBars(label: String, text: String) throws {
        let loaded = try load(text)
        #expect(loaded.bars == threeBars, "\(label): \(loaded.bars.timestamps) \(loaded.bars.close)")
        #expect(loaded.bars.featureNames.isEmpty, "\(label)")
        #expect(loaded.timeframe == .m1, "\(label)")
    }

    @Test func reportsWhatItDetected() throws {
        let semicolons = try load(Self.plain.replacingOccurrences(of: ",", with: ";"))
        #expect(semicolons.separator == UInt8(ascii: ";"))
        #expect(semicolons.hasHeader)
        #expect(semicolons.timeColumn == "time")
        #expect(semicolons.timeFormat == .dateTime)
        #expect(semicolons.notes.isEmpty)

        let pandas = try load(Self.plain.replacingOccurrences(of: "time,", with: ","))
        #expect(pandas.timeColumn == "(unnamed index)")

        let headerless = try load(String(Self.plain.drop { $0 != "\n" }.dropFirst()))
        #expect(!headerless.hasHeader)

        let dates = try load("date,open,high,low,close\n2024-01-02,1,1,1,1\n2024-01-03,1,1,1,1\n")
        #expect(dates.timeFormat == .date)
        #expect(dates.timeframe == .d1)

        let pair = try load("date,time,open,high,low,close\n2024-01-02,10:00,1,1,1,1\n")
        #expect(pair.timeFormat == .dateAndTimeColumns)
        #expect(pair.timeColumn == "date + time")
    }

    @Test func descendingFilesAreReversedAndSaySo() throws {
        let text = Self.dialects.first { $0.0 == "descending" }!.1
        let loaded = try load(text)
        #expect(loaded.notes.contains("rows were in descending time order and were reversed"))
    }

    @Test func descendingFileErrorsStillNameTheOriginalLine() {
        // The bad bar (high below close) is on line 3 of the file, which is reversed before validation.
        let text = """
            time,open,high,low,close
            2024-01-02 00:02:00,1,2,1,1
            2024-01-02 00:01:00,1,2,1,3
            2024-01-02 00:00:00,1,2,1,1
            """
        #expect(loadError(text) == "prices.csv:3: column 'close': close 3.0 is outside low..high [1.0, 2.0]")
    }

    @Test(arguments: [
        (EpochUnit.seconds, "1704153600", utc(2024, 1, 2)),
        (.milliseconds, "1704153600000", utc(2024, 1, 2)),
        (.microseconds, "1704153600000000", utc(2024, 1, 2)),
        (.nanoseconds, "1704153600000000000", utc(2024, 1, 2)),
        (.seconds, "1704153600.25", utc(2024, 1, 2) + 250),
    ])
    func epochUnitIsDetectedAndReported(unit: EpochUnit, value: String, expected: Int64) throws {
        let loaded = try load("time,open,high,low,close\n\(value),1,1,1,1\n")
        #expect(loaded.bars.timestamps == [expected])
        #expect(loaded.timeFormat == .epoch(unit))
    }

    @Test func epochUnitOptionOverridesDetection() throws {
        let text = "time,open,high,low,close\n0,1,1,1,1\n60000,1,1,1,1\n"
        #expect(try load(text).bars.timestamps == [0, 60_000_000])
        let forced = try load(text, options: CSVOptions(epochUnit: .milliseconds))
        #expect(forced.bars.timestamps == [0, 60_000])
        #expect(forced.timeframe == .m1)
    }

    @Test func headerAndSeparatorOptionsOverrideDetection() throws {
        // A pipe is never detected; a forced separator is used as given.
        let piped = try load(Self.plain.replacingOccurrences(of: ",", with: "|"), options: CSVOptions(separator: UInt8(ascii: "|")))
        #expect(piped.bars == threeBars)
        let forced = try load(String(Self.plain.drop { $0 != "\n" }.dropFirst()), options: CSVOptions(hasHeader: false))
        #expect(forced.bars == threeBars)
    }

    @Test func mixedMillisecondAndMicrosecondTimesAreEachDetected() throws {
        // Binance spot files switched from ms to µs in 2025: concatenations mix both.
        let text = """
            1735689480000,1,1,1,1,1
            1735689540000,1,1,1,1,1
            1735689600000000,1,1,1,1,1
            1735689660000000,1,1,1,1,1
            """
        let loaded = try load(text)
        #expect(loaded.bars.timestamps == [1_735_689_480_000, 1_735_689_540_000, 1_735_689_600_000, 1_735_689_660_000])
        #expect(loaded.timeFormat == .epoch(.milliseconds))
        #expect(loaded.notes.contains { $0.contains("epoch milliseconds and epoch microseconds") })
    }

    static let binanceMilliseconds = """
        1704067200000,42283.58000000,42554.57000000,42261.02000000,42475.23000000,1271.68108000,1704070799999,53957248.97378920,47134,682.57581000,28957416.81959280,0
        1704070800000,42475.23000000,42775.00000000,42431.65000000,42613.56000000,1196.37856000,1704074399999,50984319.54465390,50186,712.20483000,30351420.42749520,0
        1704074400000,42613.57000000,42638.41000000,42500.00000000,42581.10000000,685.21980000,1704077999999,29179457.03962280,38271,307.47626000,13094231.97838680,0

        """

    @Test(arguments: [("ms", binanceMilliseconds), ("µs", binanceMilliseconds.replacingOccurrences(of: "000,", with: "000000,"))])
    func binanceKlinesKeepVolumesAndTradesAsFeatures(label: String, text: String) throws {
        let loaded = try load(text, name: "BTCUSDT-1h-2024-01-01.csv")
        let bars = loaded.bars
        #expect(bars.timestamps == [1_704_067_200_000, 1_704_070_800_000, 1_704_074_400_000], "\(label)")
        #expect(bars.open == [42283.58, 42475.23, 42613.57])
        #expect(bars.close == [42475.23, 42613.56, 42581.10])
        #expect(bars.volume == [1271.68108, 1196.37856, 685.2198])
        #expect(bars.featureNames == ["quote_asset_volume", "number_of_trades", "taker_buy_base_asset_volume", "taker_buy_quote_asset_volume"])
        #expect(bars.feature(named: "number_of_trades") == [47134, 50186, 38271])
        #expect(bars.feature(named: "quote_asset_volume")?.first == 53957248.9737892)
        #expect(loaded.skippedColumns == ["close_time", "ignore"])
        #expect(loaded.timeColumn == "open_time")
        #expect(loaded.timeframe == .h1)
        #expect(loaded.timeFormat == .epoch(label == "ms" ? .milliseconds : .microseconds))
    }

    @Test func binanceFilesWithAHeaderSkipBookkeepingColumns() throws {
        let header = "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n"
        let loaded = try load(header + Self.binanceMilliseconds)
        #expect(loaded.bars.featureNames == ["quote_volume", "count", "taker_buy_volume", "taker_buy_quote_volume"])
        #expect(loaded.skippedColumns == ["close_time", "ignore"])
    }

    @Test func numericExtrasBecomeFeaturesAndOthersAreSkipped() throws {
        let text = """
            Date,Open,High,Low,Close,Adj Close,Volume,symbol,rsi_14,note,empty
            2024-01-02,100,102,99.5,101.5,101.4,10,AAPL,55.5,,
            2024-01-03,101.5,103,101,102,101.9,12.5,AAPL,,up,
            2024-01-04,102,102.25,100.125,100.5,100.4,0,AAPL,NaN,,
            """
        let loaded = try load(text)
        let bars = loaded.bars
        #expect(bars.featureNames == ["Adj Close", "rsi_14", "empty"])
        #expect(bars.feature(named: "Adj Close") == [101.4, 101.9, 100.4])
        let rsi = try #require(bars.feature(named: "rsi_14"))
        #expect(rsi[0] == 55.5 && rsi[1].isNaN && rsi[2].isNaN)
        #expect(bars.feature(named: "empty")?.allSatisfy(\.isNaN) == true)
        #expect(loaded.skippedColumns == ["symbol", "note"])
        #expect(loaded.notes.contains("column 'note' is not numeric (line 3: 'up') and was skipped"))
        #expect(loaded.timeframe == .d1)
    }

    @Test func theMostPreciseOfSeveralTimeColumnsWins() throws {
        let text = """
            Date,Timestamp,open,high,low,close,Day
            2024-01-02,2024-01-02 00:00:00,100,102,99.5,101.5,Tuesday
            2024-01-02,2024-01-02 00:01:00,101.5,103,101,102,Tuesday
            """
        let loaded = try load(text)
        #expect(loaded.timeColumn == "Timestamp")
        #expect(loaded.bars.timestamps == [utc(2024, 1, 2), utc(2024, 1, 2, 0, 1)])
        #expect(loaded.skippedColumns == ["Date", "Day"])
    }

    @Test func duplicateAndUnnamedExtrasAreSkipped() throws {
        let text = "time,open,high,low,close,volume,o,x,X,\n2024-01-02,1,1,1,1,1,2,3,4,\n"
        let loaded = try load(text)
        #expect(loaded.bars.featureNames == ["x"])
        #expect(loaded.skippedColumns == ["o", "X", "(unnamed column 10)"])
    }

    @Test func missingVolumeColumnMeansZeroVolume() throws {
        let loaded = try load("time,open,high,low,close\n2024-01-02,1,2,0.5,1.5\n")
        #expect(loaded.bars.volume == [0])
        #expect(loaded.notes.contains("no volume column: volume set to 0"))
        let headerless = try load("2024-01-02,1,2,0.5,1.5\n2024-01-03,1,2,0.5,1.5\n")
        #expect(headerless.bars.volume == [0, 0])
    }

    @Test func emptyVolumeCellsAreZeroAndCounted() throws {
        let loaded = try load("time,open,high,low,close,volume\n2024-01-02,1,2,0.5,1.5,\n2024-01-03,1,2,0.5,1.5,3\n")
        #expect(loaded.bars.volume == [0, 3])
        #expect(loaded.notes.contains("1 rows had an empty volume and got volume 0"))
    }

    @Test func loadsFromAFileAndNamesItInErrors() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/good.csv"
            try Self.plain.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(try CSVLoader.load(path: path).bars == threeBars)

            let bad = dir + "/bad prices.csv"
            try (Self.plain + "2024-01-02 00:03:00,100,abc,99,100,1\n").write(toFile: bad, atomically: true, encoding: .utf8)
            #expect(throws: DataFileError(file: "bad prices.csv", line: 5, column: "high", reason: "'abc' is not a number")) {
                try CSVLoader.load(path: bad)
            }
            #expect(throws: DataFileError(file: "missing.csv", reason: "file not found at '\(dir)/missing.csv'")) {
                try CSVLoader.load(path: dir + "/missing.csv")
            }
        }
    }

    @Test func largeGeneratedFileRoundTripsThroughTheLoader() throws {
        // Many rows, all the parsing paths at once; also exercises the capacity estimate.
        let bars = SampleData.generate(symbol: SampleData.symbol(named: "SOLUSDT")!, days: 3, seed: 11)
        let loaded = try CSVLoader.parse(bytes: CSVWriter().encode(bars), name: "sol.csv")
        #expect(loaded.bars == bars)
        #expect(loaded.timeframe == .m1)
    }
}
