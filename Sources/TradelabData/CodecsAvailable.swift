import CSnappy
import CZlib
import CZstd

/// Versions of the compression libraries linked for Parquet (also proves they link).
public enum CompressionLibraries {
    /// "zstd 1.5.4, zlib 1.2.13, snappy".
    public static var versions: String {
        "zstd \(String(cString: ZSTD_versionString())), zlib \(String(cString: zlibVersion())), snappy"
    }

    /// Whether snappy round-trips a tiny buffer (a link check for the test suite).
    public static func snappyWorks() -> Bool {
        let input: [CChar] = Array("tradelab".utf8CString)
        var compressed = [CChar](repeating: 0, count: snappy_max_compressed_length(input.count))
        var length = compressed.count
        guard snappy_compress(input, input.count, &compressed, &length) == SNAPPY_OK else { return false }
        var output = [CChar](repeating: 0, count: input.count)
        var outLength = output.count
        return snappy_uncompress(compressed, length, &output, &outLength) == SNAPPY_OK && output == input
    }
}
