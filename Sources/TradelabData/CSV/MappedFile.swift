#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory map of a whole file, unmapped when released.
///
/// The loader parses the mapped pages in place: no copy of the file is made, and the pages are
/// faulted in by whichever thread reads them first (so the two parse chunks fault in parallel).
final class MappedFile {
    /// The first byte of the file.
    let base: UnsafePointer<UInt8>
    /// The file size in bytes (at least 1).
    let count: Int

    private init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    /// Maps the regular file at `path`.
    /// - Returns: nil when the file cannot be opened, is empty, is not a regular file or cannot be
    ///   mapped (the caller then reads it the ordinary way, which also reports the reason).
    static func map(path: String) -> MappedFile? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 else { return nil }
        let size = Int(info.st_size)
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0),
              address != UnsafeMutableRawPointer(bitPattern: -1) else { return nil }
        _ = madvise(address, size, MADV_SEQUENTIAL)
        return MappedFile(base: UnsafePointer(address.assumingMemoryBound(to: UInt8.self)), count: size)
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: base), count)
    }

    /// The bytes, valid while `self` is alive.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
}
