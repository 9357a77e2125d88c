#if canImport(Glibc)
import Glibc
#endif
import NIOConcurrencyHelpers
import NIOPosix
import SecoursCore
import Vapor

/// Where passwords are hashed and checked (R-NF-6): a few threads of their own, off the event
/// loops and off the blocking pool the database uses, with a bounded number of sign-ins admitted
/// at once. A sign-in beyond it answers 503 with `Retry-After` at once, before anything is
/// counted or read, instead of queueing behind a national rush: requests of users already signed
/// in never wait for bcrypt. The threads run at a lower priority (`SECOURS_HASH_NICE`, 10): when
/// the cores are busy, the event loops and the database go first, so a flood of sign-ins slows
/// sign-in itself rather than the requests of those already signed in.
public final class HashingPool: Sendable {
    private let threads: NIOThreadPool
    /// Sign-ins hashing or waiting to hash, at most `capacity`.
    private let admitted = NIOLockedValueBox(0)
    let capacity: Int
    let hasher: DigestBcryptHasher

    let nice: Int32

    init(threads: Int, queue: Int, cost: Int, nice: Int = 10) {
        self.threads = NIOThreadPool(numberOfThreads: max(1, threads))
        self.threads.start()
        capacity = max(1, threads) + max(0, queue)
        hasher = DigestBcryptHasher(cost: cost)
        self.nice = Int32(nice)
    }

    /// Lowers the priority of the calling thread: on Linux the nice value belongs to each thread,
    /// and process 0 is the calling one.
    private static func lowerPriority(_ nice: Int32) {
        #if canImport(Glibc)
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        if getpriority(which, 0) < nice { _ = setpriority(which, 0, nice) }
        #endif
    }

    func shutdown() async throws { try await threads.shutdownGracefully() }

    static var busy: SecoursError { SecoursError(kind: .unavailable, code: "sign_in_busy",
                                   message: Messages.Accounts.hashingBusy) }

    /// Runs `body` once admitted, or refuses with `busy` when `capacity` sign-ins are in.
    func admitted<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        let granted = admitted.withLockedValue { n -> Bool in
            guard n < capacity else { return false }
            n += 1
            return true
        }
        guard granted else { throw Self.busy }
        defer { admitted.withLockedValue { $0 -= 1 } }
        return try await body()
    }

    func verify(_ password: String, created hash: String) async throws -> Bool {
        let (hasher, nice) = (self.hasher, self.nice)
        return try await threads.runIfActive {
            Self.lowerPriority(nice)
            return try hasher.verify(Array(password.utf8), created: Array(hash.utf8))
        }
    }

    func hash(_ password: String) async throws -> String {
        let (hasher, nice) = (self.hasher, self.nice)
        return try await threads.runIfActive {
            Self.lowerPriority(nice)
            return String(decoding: try hasher.hash(Array(password.utf8)), as: UTF8.self)
        }
    }

    /// Sign-ins in at this moment (for `/metrics`).
    var inUse: Int { admitted.withLockedValue { $0 } }
}

/// Stops the hashing threads with the application.
struct HashingPoolShutdown: LifecycleHandler {
    func shutdownAsync(_ application: Application) async {
        try? await application.secours.hashing.shutdown()
    }
}
