import Testing
@testable import TradelabData
