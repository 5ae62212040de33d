import Foundation

/// Recycles float buffers by exact size.
///
/// A training step allocates the same tensor sizes every time; handing freed buffers
/// back to the next allocation of the same size avoids the page faults of large
/// fresh allocations (glibc serves them with mmap) and most of malloc's work.
/// The pool keeps at most `capacityBytes`; beyond that, buffers are released.
final class BufferPool: @unchecked Sendable {
    static let shared = BufferPool(capacityBytes: 1 << 30)

    private var free: [Int: [UnsafeMutablePointer<Float>]] = [:]
    private var heldBytes = 0
    private let capacityBytes: Int
    private let lock = NSLock()

    init(capacityBytes: Int) { self.capacityBytes = capacityBytes }

    /// Buffers below this many floats come straight from malloc (its own caches are fast).
    static let smallestPooled = 1024

    func take(count: Int) -> UnsafeMutablePointer<Float> {
        if count >= Self.smallestPooled {
            lock.lock()
            if let p = free[count]?.popLast() {
                heldBytes -= count * MemoryLayout<Float>.stride
                lock.unlock()
                return p
            }
            lock.unlock()
        }
        let bytes = max(count, 1) * MemoryLayout<Float>.stride
        var raw: UnsafeMutableRawPointer?
        if posix_memalign(&raw, 64, bytes) != 0 {
            release()  // the pooled buffers may make room
            if posix_memalign(&raw, 64, bytes) != 0 { MemoryExhaustion.handler(bytes) }
        }
        return raw!.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    /// Frees every pooled buffer.
    func release() {
        lock.lock()
        let buffers = free.values.flatMap { $0 }
        free = [:]
        heldBytes = 0
        lock.unlock()
        for p in buffers { Foundation.free(p) }
    }

    func give(_ pointer: UnsafeMutablePointer<Float>, count: Int) {
        let bytes = count * MemoryLayout<Float>.stride
        if count >= Self.smallestPooled {
            lock.lock()
            if heldBytes + bytes <= capacityBytes {
                free[count, default: []].append(pointer)
                heldBytes += bytes
                lock.unlock()
                return
            }
            lock.unlock()
        }
        Foundation.free(pointer)
    }
}
