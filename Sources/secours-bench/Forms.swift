import ArgumentParser
import Foundation
import SecoursCore
import SecoursForms

/// `secours-bench forms`: makes filled fallback forms one after the other on one thread (the
/// module alone, no server: what the API and the offline tool both do per form) and prints forms
/// per second and the size of each form.
struct Forms: ParsableCommand {
    @Option(help: "Measured duration, seconds.") var seconds = 10.0
    @Option(help: "Directory to write one blank and one filled form of each kind into, to look at.") var keep: String?

    func run() throws {
        let excise = try ExciseNumber(parsing: "FR30081Y53271")
        let dispatch = DispatchMoment(day: ParisDay(year: 2026, month: 11, day: 23)!, time: ParisTime(hour: 14, minute: 5)!)
        let boxes: [FallbackForm.Box: String] = [
            .consignor: "Château Lévêque, 12 route de Cazaubon, 32800 Eauze", .consignee: "Société Cœur de Bœuf, 4 quai Saint-Antoine, 69002 Lyon",
            .description: "12 cartons de 6 bouteilles de vin rouge AOP Bordeaux supérieur, 75 cl, 13,5 % vol.", .cnCode: "22042109",
            .quantity: "54 l", .grossWeight: "98", .netWeight: "81",
        ]
        func filled(_ i: Int) throws -> [UInt8] {
            let type: DocumentType = i % 3 == 0 ? .dsa : .dae
            let number = try FallbackNumber.generated(year: 26, exciseNumber: excise, sequence: i % 99_999 + 1)
            return try FallbackForm.filled(type: type, reference: number.value, variant: .gamma, exciseNumber: excise.value,
                                           transport: "AB-\(100 + i % 900)-CD", dispatch: dispatch, boxes: i % 2 == 0 ? boxes : [:]).pdf()
        }
        // The sizes of every kind of form.
        var sizes: [(String, Int)] = []
        for type in DocumentType.allCases {
            for variant in FallbackForm.Variant.allCases {
                let blank = try FallbackForm(type: type, variant: variant).pdf()
                sizes.append(("blank \(type.rawValue) \(variant.rawValue)", blank.count))
                if let keep { try Data(blank).write(to: URL(fileURLWithPath: keep).appendingPathComponent("blank-\(type.rawValue)-\(variant.rawValue).pdf")) }
            }
        }
        let full = try filled(0), bare = try filled(1)
        sizes.append(("filled, boxes given", full.count))
        sizes.append(("filled, document only", bare.count))
        if let keep { try Data(full).write(to: URL(fileURLWithPath: keep).appendingPathComponent("filled.pdf")) }
        for (label, size) in sizes { print(String(format: "size %@: %.1f KB (%d bytes)", label, Double(size) / 1024, size)) }

        // Warm-up, then forms one after the other for `seconds`.
        for i in 0..<200 { _ = try filled(i) }
        let start = DispatchTime.now().uptimeNanoseconds
        let end = start + UInt64(seconds * 1e9)
        var made = 0, bytes = 0
        while DispatchTime.now().uptimeNanoseconds < end {
            for _ in 0..<50 {
                bytes += try filled(made).count
                made += 1
            }
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print(String(format: "filled forms: %d in %.1f s on one thread: %.0f forms/s, %.0f µs each, mean size %.1f KB, largest %.1f KB",
                     made, elapsed, Double(made) / elapsed, elapsed / Double(made) * 1e6, Double(bytes) / Double(made) / 1024,
                     Double(sizes.map(\.1).max() ?? 0) / 1024))
    }
}
