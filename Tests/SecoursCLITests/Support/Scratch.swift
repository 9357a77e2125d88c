import Foundation
import SecoursCore
@testable import SecoursCLI

/// A fresh state folder under the temporary directory (not created: `Journal.open(create:)`
/// or `secours login` makes it), removed by `remove()`.
struct ScratchHome {
    let folder: StateFolder
    var path: String { folder.path }

    init() {
        folder = StateFolder(path: FileManager.default.temporaryDirectory.appendingPathComponent("secours-home-\(UUID().uuidString)").path)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// The bytes of every file in the folder, to check that a failed command changed nothing.
    func snapshot() -> [String: Data] {
        var out: [String: Data] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
            out[name] = FileManager.default.contents(atPath: path + "/" + name)
        }
        return out
    }
}

/// A synced state as the server would send it: two excise numbers of one company.
func sampleState(year: Int = 2026, last: Int = 41, issuable: [String] = ["DAE", "DSA"]) -> ToolkitState {
    let company = ToolkitState.Company(siren: "552100554", name: "SCEA Château Les Graves", address: "1 route des Graves, 33720 Podensac")
    let office = ToolkitState.Office(code: "FR000690", name: "Bureau de Bordeaux", email: "bureau.bordeaux@douane.example")
    return ToolkitState(
        account: .init(login: "marie.laurent", email: "marie.laurent@example.fr", role: "operator"),
        serverTime: Date(), year: year,
        exciseNumbers: [
            .init(number: "FR007328E0001", mode: "DTI", rights: ["issue-daa"], issuableTypes: issuable, company: company, office: office, lastSequence: last),
            .init(number: "FR007328E0002", mode: "DTI", rights: ["issue-daa"], issuableTypes: ["DAE"], company: company, office: office, lastSequence: 0),
        ],
        alerts: [], episodes: [])
}

/// Thread-safe collector for concurrent tests.
final class Collected<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [T] = []
    func append(_ t: T) { lock.withLock { items.append(t) } }
    var all: [T] { lock.withLock { items } }
}
