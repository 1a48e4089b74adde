/// TradelabData: market-data and result I/O on top of `TradelabCore`.
///
/// CSV loading (`CSVLoader`), the deterministic sample-data generator (`SampleData`) and the
/// artifact writers (`summary.json`, `trades.csv`, `equity.csv`) live here, so the core stays free
/// of files and clocks.
public enum TradelabData {}

/// The version printed by `tradelab --version`, reported by the server and written into artifacts.
public enum TradelabVersion {
    /// Semantic version of this build.
    public static let current = "0.3.0"
}
