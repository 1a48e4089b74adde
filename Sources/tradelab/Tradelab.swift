import ArgumentParser
import TradelabData

/// The `tradelab` command.
@main
struct Tradelab: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tradelab",
        abstract: "Backtest, inspect and tune trading strategies.",
        discussion: """
        Examples:
          tradelab data sample --out data --days 30
          tradelab backtest --data data/BTCUSDT_1m.csv --strategy sma-cross --param fast=10 --param slow=30 --timeframe 15m
          tradelab backtest --data prices.csv --runs 50 --duration 7d --seed 1 --out runs/sma
          tradelab indicators --data prices.csv --indicator rsi:14 --indicator macd:12,26,9 --out with-indicators.csv
        """,
        version: TradelabVersion.current,
        subcommands: [BacktestCommand.self, OptimizeCommand.self, IndicatorsCommand.self, DataCommand.self, BenchCommand.self, ValidateCommand.self,
                      ServeCommand.self, WorkerCommand.self]
    )
}
