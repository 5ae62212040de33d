import CSpinHint
import Foundation
import Synchronization

/// Splits loops over the machine's cores. All parallel work in the package goes
/// through here, BLAS products included (OpenBLAS itself runs single-threaded, see
/// `BLAS`), so that one set of threads does everything and none spins idle while
/// another works.
public enum Parallel {
    /// The threads there are: the active cores, at most 8. GLIDN_THREADS overrides it.
    public static let available: Int = {
        if let text = ProcessInfo.processInfo.environment["GLIDN_THREADS"], let n = Int(text), n >= 1 {
            return min(n, 64)
        }
        return max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
    }()

    /// What is wrong with GLIDN_THREADS, if anything: an error (not a whole number from 1 to
    /// 64, which the tool refuses) or a warning (more threads than cores, which only slows).
    public static func threadSettingProblem(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> (isError: Bool, message: String)? {
        guard let text = environment["GLIDN_THREADS"] else { return nil }
        guard let n = Int(text.trimmingCharacters(in: .whitespaces)), (1...64).contains(n) else {
            return (
                true, "GLIDN_THREADS='\(text)' is not a number of threads from 1 to 64 (unset it to use every core)"
            )
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        if n > cores {
            return (
                false,
                "GLIDN_THREADS=\(n) is more than the \(cores) cores of this machine: the extra threads wait their turn and slow the work"
            )
        }
        return nil
    }

    /// Fewer workers for the current task (tests run the same work at several thread counts).
    @TaskLocal public static var limit: Int?

    /// The workers parallel loops use now.
    public static var workers: Int { min(limit ?? available, available) }

    static let pool = WorkerPool(helpers: available - 1)

    /// Calls `body` on consecutive chunks covering 0..<count, in parallel when the work is
    /// large enough (`count / minimumChunk` chunks at most). `body` must only write what its
    /// chunk owns. Calls made from inside a parallel region run serially.
    @inline(__always)
    public static func forEachChunk(count: Int, minimumChunk: Int, _ body: (Range<Int>) -> Void) {
        let chunks = min(workers, count / max(minimumChunk, 1))
        if chunks <= 1 {
            if count > 0 { body(0..<count) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let run: (Int) -> Void = { c in body((count * c / chunks)..<(count * (c + 1) / chunks)) }
            if !pool.run(chunks: chunks, run) {
                for c in 0..<chunks { run(c) }
            }
        }
    }
}

extension Parallel {
    /// Calls `body(chunk, range)` for consecutive ranges of `chunkSize` (the last may be
    /// shorter) covering 0..<count, the chunks shared out over the workers. The chunks, and so
    /// any per-chunk partial result, are the same whatever the number of workers: results
    /// that combine per-chunk partials in chunk order are bit for bit the same with
    /// GLIDN_THREADS 1, 2 or 8.
    public static func forEachFixedChunk(count: Int, chunkSize: Int, _ body: (Int, Range<Int>) -> Void) {
        let size = max(chunkSize, 1)
        let chunks = (count + size - 1) / size
        forEachChunk(count: chunks, minimumChunk: 1) { numbers in
            for c in numbers { body(c, (c * size)..<min(count, (c + 1) * size)) }
        }
    }

    /// Calls `body(chunk, range)` for exactly `chunks` consecutive ranges covering 0..<count,
    /// in parallel. The chunk number lets each write its own partial results, which the
    /// caller then combines in chunk order (a deterministic reduction).
    public static func forEachNumberedChunk(count: Int, chunks: Int, _ body: (Int, Range<Int>) -> Void) {
        forEachChunk(count: chunks, minimumChunk: 1) { numbers in
            for c in numbers { body(c, (count * c / chunks)..<(count * (c + 1) / chunks)) }
        }
    }
}

/// Carries a value into concurrent code whose safety the caller guarantees (disjoint writes).
public struct UnsafeSendable<T>: @unchecked Sendable {
    public let value: T
    @inlinable public init(_ value: T) { self.value = value }
}

/// A fork-join pool for many short parallel loops.
///
/// The calling thread works on the chunks too; helper threads spin briefly between
/// jobs (a training step posts dozens of short jobs back to back, and waking a
/// sleeping thread costs more than most of them take), then sleep. Every busy-wait
/// iteration executes the processor's spin hint (`pause`): on a virtual machine whose
/// cores are shared, that tells the hypervisor a waiting core has nothing to do, and
/// training steps measured on such a machine stopped falling to one-thread speed in its
/// busy spells (cad120 median 5.07 → 4.29 ms over ten alternating runs).
final class WorkerPool: @unchecked Sendable {
    /// One parallel loop: its chunks are claimed one by one from `next`.
    final class Job: @unchecked Sendable {
        let chunks: Int
        /// Dropped by the poster once every chunk is done: helpers may keep the job
        /// object a little longer, never the caller's closure.
        var body: ((Int) -> Void)?
        let next = Atomic<Int>(0)
        let remaining: Atomic<Int>

        init(chunks: Int, body: @escaping (Int) -> Void) {
            self.chunks = chunks
            self.body = body
            remaining = Atomic(chunks)
        }

        /// Runs chunks until none is left to claim.
        func work() {
            while true {
                let c = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard c < chunks else { return }
                // Called through the property, not a local copy: no reference to the
                // closure may outlive the decrement that tells the poster it is done.
                body.unsafelyUnwrapped(c)
                remaining.wrappingSubtract(1, ordering: .releasing)
            }
        }
    }

    private let generation = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    private let condition = NSCondition()
    private var current: Job?
    /// Spin-hint iterations before a helper sleeps: a few milliseconds.
    private let spinIterations = 200_000

    init(helpers: Int) {
        for i in 0..<helpers {
            let thread = Thread { [unowned self] in self.helperLoop() }
            thread.name = "glidn-worker-\(i + 1)"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Runs `body` for chunks 0..<chunks on this thread and the helpers; false (and
    /// nothing run) when a job is already in progress, i.e. for nested calls.
    func run(chunks: Int, _ body: (Int) -> Void) -> Bool {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        withoutActuallyEscaping(body) { body in
            let job = Job(chunks: chunks, body: body)
            condition.lock()
            current = job
            generation.wrappingAdd(1, ordering: .releasing)
            condition.broadcast()
            condition.unlock()
            job.work()
            while job.remaining.load(ordering: .acquiring) > 0 { glidn_spin_hint() }
            condition.lock()
            current = nil
            job.body = nil
            condition.unlock()
        }
        busy.store(false, ordering: .releasing)
        return true
    }

    private func helperLoop() {
        var seen = 0
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen && spins < spinIterations {
                glidn_spin_hint()
                spins += 1
            }
            condition.lock()
            while generation.load(ordering: .acquiring) == seen { condition.wait() }
            seen = generation.load(ordering: .acquiring)
            let job = current
            condition.unlock()
            job?.work()
        }
    }
}
