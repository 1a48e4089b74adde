import ArgumentParser

/// The `tradelab` command.
@main
struct Tradelab: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tradelab",
        abstract: "Backtest, inspect and tune trading strategies.",
        subcommands: []
    )
}
