import Dispatch

extension CSVReader {
    /// The data rows read, and the reader that read them (its kinds, features and counts).
    struct Rows {
        var columns: CSVColumns
        var reader: CSVRowReader
    }

    /// Reads the data rows from `from` (the first data line, `line`) to the end.
    ///
    /// With at least ``Tuning/parallelMinimum`` bytes, the rows are read in two chunks on two threads,
    /// split after a newline near the middle. The second chunk is speculative: it is kept only
    /// when the first chunk's last record ends exactly at the split (no quoted field spans it);
    /// otherwise the first chunk's reader simply goes on to the end. The first chunk's error, if
    /// any, wins; the second's counts only when the first read cleanly up to the split, so the
    /// error reported is always the one of the first bad line, as when reading in one go.
    func readRows(layout: CSVLayout, separator: UInt8, from start: Int, line: Int) throws(DataFileError) -> Rows {
        let first = CSVRowReader(base: base, count: count, separator: separator, name: name, layout: layout,
                                 epochUnit: options.epochUnit, fastRows: tuning.fastRows, position: start, line: line)
        if count - start >= tuning.parallelMinimum, let split = splitPoint(from: start) {
            return try readInTwoChunks(first, split: split, layout: layout, separator: separator)
        }
        var columns = CSVColumns(capacity: estimatedRows(from: start, to: count))
        var reader = first
        try readToEnd(&reader, &columns)
        columns.truncate(to: reader.rows)
        return Rows(columns: columns, reader: reader)
    }

    /// Goes on reading with `reader` to the end of the input, growing `columns` as needed.
    private func readToEnd(_ reader: inout CSVRowReader, _ columns: inout CSVColumns) throws(DataFileError) {
        while try columns.withPointers({ (pointers) throws(DataFileError) -> CSVRowReader.Stop in
            try reader.read(into: pointers, stopAt: count)
        }) == .full {
            columns.grow(to: columns.capacity + columns.capacity / 2 + 1024)
        }
    }

    /// The two-chunk read described at ``readRows(layout:separator:from:line:)``.
    private func readInTwoChunks(_ first: CSVRowReader, split: Int, layout: CSVLayout, separator: UInt8) throws(DataFileError) -> Rows {
        let firstCapacity = estimatedRows(from: first.position, to: split)
        let secondCapacity = estimatedRows(from: split, to: count)
        var columns = CSVColumns(capacity: firstCapacity + secondCapacity)
        let jobs = [
            ChunkJob(first, stopAt: split),
            ChunkJob(CSVRowReader(base: base, count: count, separator: separator, name: name, layout: layout,
                                  epochUnit: options.epochUnit, fastRows: tuning.fastRows, position: split, line: 1), stopAt: count),
        ]
        columns.withPointers { pointers in
            jobs[0].columns = pointers.advanced(by: 0, capacity: firstCapacity)
            jobs[1].columns = pointers.advanced(by: firstCapacity, capacity: secondCapacity)
            DispatchQueue.concurrentPerform(iterations: 2) { jobs[$0].run() }
        }
        var reader = jobs[0].reader
        let firstStop = try jobs[0].result!.get()
        let second = jobs[1].reader
        guard firstStop == .boundary, reader.position == split, case .success(.end) = jobs[1].result! else {
            if firstStop == .boundary && reader.position == split, case .failure(let error) = jobs[1].result! {
                throw error.shiftingLines(by: reader.line - 1)
            }
            // A quoted field spans the split, or an estimate was short: go on from the first chunk.
            try readToEnd(&reader, &columns)
            columns.truncate(to: reader.rows)
            return Rows(columns: columns, reader: reader)
        }
        // Join: move the second chunk's rows down behind the first's and make its lines absolute.
        let lineShift = Int32(truncatingIfNeeded: reader.line - 1)
        columns.withPointers { pointers in
            pointers.moveRows(from: firstCapacity, to: reader.rows, count: second.rows)
            let lines = pointers.lines + reader.rows
            for k in 0..<second.rows { lines[k] &+= lineShift }
        }
        columns.truncate(to: reader.rows + second.rows)
        reader.merge(second, lineShift: reader.line - 1)
        return Rows(columns: columns, reader: reader)
    }

    /// The start of the line after the first newline at or after the middle of the rows, if
    /// that leaves something on both sides.
    func splitPoint(from start: Int) -> Int? {
        var i = start + (count - start) / 2
        while i < count && base[i] != UInt8(ascii: "\n") { i += 1 }
        return i + 1 < count ? i + 1 : nil
    }

    /// Rows in `[from, to)` estimated from the length of the lines at `from`, with a margin.
    func estimatedRows(from: Int, to: Int) -> Int {
        let rows = (to - from) / estimateLineLength(from: from)
        return rows + rows / 8 + 64
    }
}

/// One chunk's reader and result, handed to a thread.
private final class ChunkJob: @unchecked Sendable {
    var reader: CSVRowReader
    let stopAt: Int
    var columns: CSVColumnPointers?
    var result: Result<CSVRowReader.Stop, DataFileError>?

    init(_ reader: CSVRowReader, stopAt: Int) {
        self.reader = reader
        self.stopAt = stopAt
    }

    func run() {
        result = Result { () throws(DataFileError) in try reader.read(into: columns!, stopAt: stopAt) }
    }
}

extension CSVRowReader {
    /// Takes over the kinds, counts and features of `next`, the reader of the following chunk
    /// (whose rows the caller has already placed), with its lines shifted to absolute ones.
    mutating func merge(_ next: CSVRowReader, lineShift: Int) {
        rows += next.rows
        if firstKinds == nil { firstKinds = next.firstKinds }
        kinds.formUnion(next.kinds)
        emptyVolumes += next.emptyVolumes
        for k in features.indices {
            if featureAlive[k] && next.featureAlive[k] {
                features[k].append(contentsOf: next.features[k])
            } else {
                featureAlive[k] = false
                features[k] = []
            }
        }
        let droppedHere = Set(dropped.map(\.column))
        for var drop in next.dropped where !droppedHere.contains(drop.column) {
            drop.line += lineShift
            dropped.append(drop)
        }
        line = next.line + lineShift
        position = next.position
    }
}

extension DataFileError {
    /// The same error with its line moved by `shift` (for errors found in a later chunk).
    func shiftingLines(by shift: Int) -> DataFileError {
        var shifted = self
        shifted.line = line.map { $0 + shift }
        return shifted
    }
}
