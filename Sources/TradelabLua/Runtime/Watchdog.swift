import CLua
import CLuaShim
import Foundation

/// Trips sandboxes whose deadline passed or that were cancelled, from a background thread.
///
/// `lua_sethook` may be called asynchronously, so the watchdog installs the tripping hook on a
/// running state; until then the VM runs at full speed. Registration and tripping happen under one
/// lock, and a sandbox unregisters before it closes its state, so a trip never touches a closed state.
final class Watchdog: @unchecked Sendable {
    static let shared = Watchdog()

    private struct Entry {
        var state: OpaquePointer
        var deadline: Double
        var group: LuaCancellation?
        var cancelled = false
        var tripped = false
    }

    private let lock = NSLock()
    private var entries: [ObjectIdentifier: Entry] = [:]
    private var started = false

    /// Watches `state` until ``unregister(_:)``; trips it at `deadline` (monotonic seconds), or
    /// when `group` is cancelled (at once if it already was).
    func register(_ owner: AnyObject, state: OpaquePointer, deadline: Double, group: LuaCancellation? = nil) {
        lock.lock()
        var entry = Entry(state: state, deadline: deadline, group: group)
        // Read under the lock after the flag's store in `cancel()`: either this sees it, or the
        // group's trip below sees this entry.
        if group?.isCancelled == true {
            entry.cancelled = true
            entry.tripped = true
            tl_trip(state, Int32(TL_TRIP_CANCELLED.rawValue))
        }
        entries[ObjectIdentifier(owner)] = entry
        if !started {
            started = true
            let thread = Thread { [unowned self] in self.loop() }
            thread.name = "tradelab-lua-watchdog"
            thread.stackSize = 1 << 16
            thread.start()
        }
        lock.unlock()
    }

    /// Stops watching; after it returns the watchdog never touches the state again.
    func unregister(_ owner: AnyObject) {
        lock.lock()
        entries[ObjectIdentifier(owner)] = nil
        lock.unlock()
    }

    /// Moves a deadline that has not passed yet `seconds` later (time spent paused does not count).
    func postpone(_ owner: AnyObject, by seconds: Double) {
        lock.lock()
        if var entry = entries[ObjectIdentifier(owner)], !entry.tripped {
            entry.deadline += seconds
            entries[ObjectIdentifier(owner)] = entry
        }
        lock.unlock()
    }

    /// Trips every state registered with `group` as cancelled at once.
    func cancel(group: LuaCancellation) {
        lock.lock()
        for (key, var entry) in entries where entry.group === group && !entry.tripped {
            entry.cancelled = true
            entry.tripped = true
            tl_trip(entry.state, Int32(TL_TRIP_CANCELLED.rawValue))
            entries[key] = entry
        }
        lock.unlock()
    }

    /// Trips the state as cancelled at once.
    func cancel(_ owner: AnyObject) {
        lock.lock()
        if var entry = entries[ObjectIdentifier(owner)], !entry.tripped {
            entry.cancelled = true
            entry.tripped = true
            tl_trip(entry.state, Int32(TL_TRIP_CANCELLED.rawValue))
            entries[ObjectIdentifier(owner)] = entry
        }
        lock.unlock()
    }

    /// Monotonic seconds.
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    private func loop() {
        while true {
            usleep(2_000)
            let now = Self.now()
            lock.lock()
            for (key, entry) in entries where !entry.tripped && now >= entry.deadline {
                tl_trip(entry.state, Int32(TL_TRIP_TIMEOUT.rawValue))
                entries[key]?.tripped = true
            }
            lock.unlock()
        }
    }
}
