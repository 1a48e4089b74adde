// `tradelab-worker`: one backtest job for `tradelab serve`, in its own process (the body of
// `tradelab worker`, linked without the server and the CLI so that it starts faster).
// Protocol: docs/worker-protocol.md.
import Foundation
import TradelabRun

exit(WorkerProcessMain.run())
