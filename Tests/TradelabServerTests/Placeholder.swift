import Testing
@testable import TradelabServer
