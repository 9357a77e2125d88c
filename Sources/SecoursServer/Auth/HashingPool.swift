import NIOConcurrencyHelpers
import NIOPosix
import SecoursCore
import Vapor

/// Where passwords are hashed and checked (R-NF-6): a few threads of their own, off the event
/// loops and off the blocking pool the database uses, with a bounded number of sign-ins admitted
/// at once. A sign-in beyond it answers 503 with `Retry-After` at once, before anything is
/// counted or read, instead of queueing behind a national rush: requests of users already signed
/// in never wait for bcrypt.
public final class HashingPool: Sendable {
    private let threads: NIOThreadPool
    /// Sign-ins hashing or waiting to hash, at most `capacity`.
    private let admitted = NIOLockedValueBox(0)
    let capacity: Int
    let hasher: DigestBcryptHasher

    init(threads: Int, queue: Int, cost: Int) {
        self.threads = NIOThreadPool(numberOfThreads: max(1, threads))
        self.threads.start()
        capacity = max(1, threads) + max(0, queue)
        hasher = DigestBcryptHasher(cost: cost)
    }

    func shutdown() async throws { try await threads.shutdownGracefully() }

    static let busy = SecoursError(kind: .unavailable, code: "sign_in_busy",
                                   message: "Trop de connexions en cours : réessayez dans quelques secondes (vous n'avez rien perdu).")

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
        let hasher = self.hasher
        return try await threads.runIfActive { try hasher.verify(Array(password.utf8), created: Array(hash.utf8)) }
    }

    func hash(_ password: String) async throws -> String {
        let hasher = self.hasher
        return try await threads.runIfActive { String(decoding: try hasher.hash(Array(password.utf8)), as: UTF8.self) }
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
