#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Where the offline toolkit keeps its state on this computer: `SECOURS_HOME`, else
/// `$XDG_DATA_HOME/secours`, else `~/.local/share/secours`. The folder is the user's only (0700)
/// and so is every file in it (0600): it holds an API token and the journal.
struct StateFolder: Sendable {
    let path: String

    var journalPath: String { path + "/journal.sqlite" }
    /// Taken while the journal's schema is created or migrated, so that two commands started
    /// together on a new or older journal do not both migrate it.
    var migrationLockPath: String { path + "/journal.lock" }

    static func resolve(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> StateFolder {
        if let home = environment["SECOURS_HOME"], !home.isEmpty { return StateFolder(path: home) }
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") { return StateFolder(path: data + "/secours") }
        let user = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return StateFolder(path: user + "/.local/share/secours")
    }

    var exists: Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
    }

    var hasJournal: Bool { FileManager.default.fileExists(atPath: journalPath) }

    /// Creates the folder if needed (0700) and makes sure files created from now on are the
    /// user's only.
    func prepare() throws(ToolkitError) {
        umask(0o077)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw .stateNotAFolder(path) }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch { throw .stateFolderUnwritable(path, error.localizedDescription) }
        }
        chmod(path, 0o700)
    }

    /// Tightens the journal's files (the WAL and its index are created with the journal's mode,
    /// but a journal copied from elsewhere may be wider).
    func restrictFiles() {
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: journalPath + suffix) {
            chmod(journalPath + suffix, 0o600)
        }
        if FileManager.default.fileExists(atPath: migrationLockPath) { chmod(migrationLockPath, 0o600) }
    }

    /// Runs `body` holding an exclusive `flock` on the migration lock file.
    func withMigrationLock<T>(_ body: () throws -> T) throws -> T {
        let fd = open(migrationLockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ToolkitError.stateFolderUnwritable(path, String(cString: strerror(errno))) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw ToolkitError.stateFolderUnwritable(path, String(cString: strerror(errno))) }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
