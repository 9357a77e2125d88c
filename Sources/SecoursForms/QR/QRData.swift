/// Bits appended most significant first, as the symbol's codewords read them.
struct BitBuffer {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0

    mutating func append(_ value: Int, bits: Int) {
        for i in stride(from: bits - 1, through: 0, by: -1) {
            if count % 8 == 0 { bytes.append(0) }
            if (value >> i) & 1 == 1 { bytes[count / 8] |= 0x80 >> UInt8(count % 8) }
            count += 1
        }
    }
}

/// The text's one segment (ISO/IEC 18004 §7.4): its mode and its payload, before any version is
/// chosen, so that its length can be weighed against each version's capacity.
struct QRSegment {
    let mode: QRCode.Mode
    /// Alphanumeric: each character's value (0–44); byte: the UTF-8 bytes.
    let values: [Int]

    /// The 45 characters of alphanumeric mode, in the order of their values.
    static let alphanumericSet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".unicodeScalars)
    private static let alphanumericValue: [UInt32: Int] = {
        var table: [UInt32: Int] = [:]
        for (i, c) in alphanumericSet.enumerated() { table[c.value] = i }
        return table
    }()

    /// Alphanumeric mode packs two characters into 11 bits (5.5 bits a character instead of 8),
    /// which is why an uppercase payload such as Base45 is worth keeping to that set; anything
    /// else goes as UTF-8 bytes.
    init(text: String) {
        let scalars = Array(text.unicodeScalars)
        let alphanumeric = scalars.compactMap { Self.alphanumericValue[$0.value] }
        if alphanumeric.count == scalars.count {
            mode = .alphanumeric
            values = alphanumeric
        } else {
            mode = .byte
            values = text.utf8.map(Int.init)
        }
    }

    /// Characters (alphanumeric) or bytes, as the character count field gives them.
    var count: Int { values.count }

    private var payloadBits: Int {
        switch mode {
        case .alphanumeric: 11 * (count / 2) + 6 * (count % 2)
        case .byte: 8 * count
        }
    }

    /// Bits the segment takes in a symbol of `version`: mode indicator, count field and payload;
    /// nil when the count does not fit its field there.
    func bitLength(version: Int) -> Int? {
        let countBits = QRTables.characterCountBits(mode, version: version)
        guard count < 1 << countBits else { return nil }
        return 4 + countBits + payloadBits
    }

    func write(to buffer: inout BitBuffer, version: Int) {
        buffer.append(mode == .alphanumeric ? 0b0010 : 0b0100, bits: 4)
        buffer.append(count, bits: QRTables.characterCountBits(mode, version: version))
        switch mode {
        case .alphanumeric:
            var i = 0
            while i + 1 < count {
                buffer.append(values[i] * 45 + values[i + 1], bits: 11)
                i += 2
            }
            if i < count { buffer.append(values[i], bits: 6) }
        case .byte:
            for b in values { buffer.append(b, bits: 8) }
        }
    }
}

enum QRCodewords {
    /// The data codewords of a symbol: the segment, a terminator of up to four 0 bits, 0 bits to
    /// the next byte, then the pad bytes 11101100 and 00010001 in turn, which the standard
    /// chose so that empty capacity does not print as a large plain area.
    static func data(_ segment: QRSegment, version: Int, level: QRCode.Level) -> [UInt8] {
        let capacity = QRTables.dataCodewords(version: version, level: level)
        var buffer = BitBuffer()
        segment.write(to: &buffer, version: version)
        buffer.append(0, bits: min(4, capacity * 8 - buffer.count))
        buffer.append(0, bits: (8 - buffer.count % 8) % 8)
        var bytes = buffer.bytes
        var pad: UInt8 = 0xEC
        while bytes.count < capacity {
            bytes.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return bytes
    }

    /// The data split into blocks, each followed by its error correction, then interleaved
    /// codeword by codeword (all blocks' first data codewords, then their second…, then the
    /// error correction the same way), so that a stain on the printed code damages a few
    /// codewords of many blocks rather than many of one.
    static func final(_ data: [UInt8], version: Int, level: QRCode.Level) -> [UInt8] {
        let blocks = QRTables.blockCount[level.rawValue][version]
        let ecLength = QRTables.ecCodewordsPerBlock[level.rawValue][version]
        let total = QRTables.totalCodewords(version: version)
        // When the codewords do not divide evenly, the last blocks carry one data codeword more.
        let longBlocks = total % blocks
        let shortData = total / blocks - ecLength
        let rs = ReedSolomon(degree: ecLength)
        var dataBlocks: [[UInt8]] = []
        var ecBlocks: [[UInt8]] = []
        var start = 0
        for b in 0..<blocks {
            let length = shortData + (b >= blocks - longBlocks ? 1 : 0)
            let block = Array(data[start..<(start + length)])
            start += length
            dataBlocks.append(block)
            ecBlocks.append(rs.remainder(block))
        }
        var out: [UInt8] = []
        out.reserveCapacity(total)
        for i in 0...shortData {
            for block in dataBlocks where i < block.count { out.append(block[i]) }
        }
        for i in 0..<ecLength {
            for block in ecBlocks { out.append(block[i]) }
        }
        return out
    }
}
