/// Validation of UTF-8 bytes read from a file (Unicode 15, table 3-7: shortest forms only, no
/// surrogates, nothing above U+10FFFF), so that a damaged STRING value is refused rather than
/// silently repaired.
enum UTF8Validation {
    /// Whether `bytes` are well-formed UTF-8.
    /// - Complexity: O(bytes.count), eight ASCII bytes at a time.
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let p = bytes.baseAddress else { return true }
        let n = bytes.count
        var i = 0
        while i < n {
            // ASCII runs, a word at a time.
            while n - i >= 8, UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            guard i < n else { return true }
            let lead = p[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            // The allowed range of the second byte, and the sequence length.
            let length: Int, low: UInt8, high: UInt8
            switch lead {
            case 0xC2...0xDF: (length, low, high) = (2, 0x80, 0xBF)
            case 0xE0: (length, low, high) = (3, 0xA0, 0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (length, low, high) = (3, 0x80, 0xBF)
            case 0xED: (length, low, high) = (3, 0x80, 0x9F)
            case 0xF0: (length, low, high) = (4, 0x90, 0xBF)
            case 0xF1...0xF3: (length, low, high) = (4, 0x80, 0xBF)
            case 0xF4: (length, low, high) = (4, 0x80, 0x8F)
            default: return false
            }
            guard n - i >= length, p[i + 1] >= low, p[i + 1] <= high else { return false }
            for k in 2..<length where p[i + k] & 0xC0 != 0x80 { return false }
            i += length
        }
        return true
    }
}
