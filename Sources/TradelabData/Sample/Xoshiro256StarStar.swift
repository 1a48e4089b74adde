#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// xoshiro256** 1.0 (Blackman & Vigna): a small, fast, seedable generator with 256 bits of state.
///
/// The same seed gives the same sequence on every run and platform, unlike
/// `SystemRandomNumberGenerator`. Seeding goes through SplitMix64, as the authors recommend,
/// so nearby seeds give unrelated streams.
///
/// ```swift
/// var rng = Xoshiro256StarStar(seed: 42)
/// let x = Double.random(in: 0..<1, using: &rng)
/// ```
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    @usableFromInline var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// Creates a generator whose state is filled from SplitMix64 started at `seed`.
    /// - Parameter seed: Any value; 0 is fine.
    public init(seed: UInt64) {
        var splitMix = seed
        func next() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = next()
        s1 = next()
        s2 = next()
        s3 = next()
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inlinable
    func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 &- k)) }

    /// A uniform double in the open interval (0, 1): 53 random bits, never exactly 0 or 1.
    @inlinable
    public mutating func nextUnitOpen() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1p-53
    }

    /// A standard normal variate by Box-Muller. Each call consumes exactly two outputs (the sine
    /// partner is not cached), so the generator's state is all there is to reproduce.
    @inlinable
    public mutating func nextGaussian() -> Double {
        let u1 = nextUnitOpen(), u2 = nextUnitOpen()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}

/// 64-bit FNV-1a of the UTF-8 bytes of `text`: a stable hash (Swift's `Hasher` is seeded per
/// process, so it cannot derive reproducible seeds).
@inlinable
public func fnv1a64(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash &*= 0x0000_0100_0000_01B3
    }
    return hash
}

