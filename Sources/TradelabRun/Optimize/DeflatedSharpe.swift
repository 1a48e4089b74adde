import Foundation

/// The deflated Sharpe ratio (Bailey and López de Prado, 2014): the probability that the best
/// trial's Sharpe ratio beats what the best of N trials would show by luck alone, given the
/// spread of the trials' Sharpe ratios and the skewness and kurtosis of the best trial's returns.
///
/// With per-bar Sharpe ratios (not annualized) `SR`:
///
///     SR0 = sqrt(V[SR]) * ((1 - γ) Φ⁻¹(1 - 1/N) + γ Φ⁻¹(1 - 1/(N e)))      γ = 0.5772... (Euler)
///     DSR = Φ((SR* - SR0) sqrt(T - 1) / sqrt(1 - γ3 SR* + (γ4 - 1)/4 SR*²))
///
/// where `SR*` is the best trial's, `T` its number of returns, `γ3` their skewness and `γ4` their
/// (non-excess) kurtosis. `SR0` is the expected maximum Sharpe ratio of N trials without skill.
public struct DeflatedSharpe: Sendable, Equatable, Codable {
    /// Φ(...): near 1, the best is unlikely to be luck; near 0, it likely is.
    public var probability: Double
    /// The expected best per-bar Sharpe ratio of N trials without skill (`SR0`).
    public var expectedMaximum: Double
    /// The best trial's per-bar Sharpe ratio (`SR*`).
    public var best: Double
    /// Trials the best was chosen from (those with a Sharpe ratio).
    public var trials: Int

    /// Computes it; nil with fewer than 2 trials, fewer than 3 returns, or a degenerate
    /// denominator.
    /// - Parameters:
    ///   - sharpes: Every trial's per-bar Sharpe ratio.
    ///   - best: The best trial's per-bar Sharpe ratio.
    ///   - returns: The best trial's per-bar returns.
    public init?(sharpes: [Double], best: Double, returns: [Double]) {
        let n = sharpes.count, t = returns.count
        guard n >= 2, t >= 3, best.isFinite else { return nil }
        let meanSR = sharpes.reduce(0, +) / Double(n)
        let varianceSR = sharpes.reduce(0) { $0 + ($1 - meanSR) * ($1 - meanSR) } / Double(n - 1)
        let euler = 0.5772156649015329
        let expected = varianceSR.squareRoot() * ((1 - euler) * normalQuantile(1 - 1 / Double(n))
                                                  + euler * normalQuantile(1 - 1 / (Double(n) * M_E)))
        let mean = returns.reduce(0, +) / Double(t)
        var m2 = 0.0, m3 = 0.0, m4 = 0.0
        for r in returns {
            let d = r - mean
            m2 += d * d
            m3 += d * d * d
            m4 += d * d * d * d
        }
        m2 /= Double(t); m3 /= Double(t); m4 /= Double(t)
        guard m2 > 0 else { return nil }
        let skew = m3 / pow(m2, 1.5), kurtosis = m4 / (m2 * m2)
        let denominator = 1 - skew * best + (kurtosis - 1) / 4 * best * best
        guard denominator > 0 else { return nil }
        probability = normalCDF((best - expected) * Double(t - 1).squareRoot() / denominator.squareRoot())
        expectedMaximum = expected
        self.best = best
        trials = n
    }
}

/// Φ(x), the standard normal distribution function.
func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

/// Φ⁻¹(p): Acklam's rational approximation, polished by two Newton steps on `erfc`.
func normalQuantile(_ p: Double) -> Double {
    guard p > 0, p < 1 else { return p <= 0 ? -.infinity : .infinity }
    let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
    let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
    let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
    let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
    var x: Double
    if p < 0.02425 {
        let q = (-2 * log(p)).squareRoot()
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    } else if p > 1 - 0.02425 {
        let q = (-2 * log(1 - p)).squareRoot()
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    } else {
        let q = p - 0.5, r = q * q
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }
    for _ in 0..<2 {
        let e = normalCDF(x) - p
        x -= e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
    }
    return x
}
