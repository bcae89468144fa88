import Foundation

/// A serial executor backed by one dedicated thread.
///
/// libpq's calls block until PostgreSQL answers. An actor that uses this executor runs its
/// methods on its own thread, so a slow or unreachable database never occupies a thread of
/// Swift's cooperative pool (which has only as many threads as cores, here two).
final class ThreadExecutor: SerialExecutor {
    private let queue: JobQueue

    init(name: String) {
        queue = JobQueue()
        queue.executor = nil
        let queue = self.queue
        let thread = Thread { queue.run() }
        thread.name = name
        queue.executor = asUnownedSerialExecutor()
        thread.start()
    }

    deinit { queue.stop() }

    func enqueue(_ job: consuming ExecutorJob) {
        queue.push(UnownedJob(job))
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }
}

/// The jobs waiting for the executor's thread.
///
/// `@unchecked Sendable`: every stored property is read and written only while `condition` is
/// locked, except `executor`, which is set once before the thread starts.
private final class JobQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var head = 0
    private var stopped = false
    var executor: UnownedSerialExecutor?

    func push(_ job: UnownedJob) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    func run() {
        while true {
            condition.lock()
            while head == jobs.count && !stopped { condition.wait() }
            if head == jobs.count {
                condition.unlock()
                return
            }
            let job = jobs[head]
            head += 1
            if head > 1024 && head * 2 > jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            condition.unlock()
            guard let executor else { preconditionFailure("ThreadExecutor started without its executor reference") }
            job.runSynchronously(on: executor)
        }
    }
}
