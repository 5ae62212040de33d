import CZlib
import Foundation

/// A zip archive held in memory, read member by member: what an `.npz` is.
///
/// Our own reader rather than a general zip library's because every extent is checked against
/// the bytes before it is used: a member is inflated from its own compressed bytes only, so a
/// stream that never ends, a size of 2^63 or a member past the end of the file is an error at
/// once, never a loop reading past the end (ZIPFoundation 0.9.20 read on for as long as a
/// stored member's declared size, which the fuzzer found, and its inflate loop has no exit
/// when the file ends before the deflate stream does). Stored and deflated members, zip64 sizes and offsets; CRC-32
/// checked by the caller against `Member.checksum` with what `extract` returns.
struct ZipArchive {
    struct Member {
        let name: String
        let method: UInt16
        let checksum: UInt32
        let compressedSize: Int
        let uncompressedSize: Int
        /// Where the member's own bytes start, after its local header.
        let dataStart: Int
    }

    /// What is wrong with the archive (the reader adds the file).
    struct Problem: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    let members: [Member]
    private let bytes: [UInt8]

    init(_ data: Data) throws(Problem) {
        let bytes = [UInt8](data)
        self.bytes = bytes
        let directory = try Self.centralDirectory(bytes)
        var members: [Member] = []
        var names = Set<String>()
        var offset = directory.offset
        // The declared count is only a bound: each entry must be there, in the directory's bytes.
        for index in 0..<min(directory.count, UInt64(bytes.count / 46 + 1)) {
            let member = try Self.member(bytes, at: &offset, end: directory.end, index: Int(index))
            guard names.insert(member.name).inserted else { throw Problem("holds member '\(member.name)' twice") }
            members.append(member)
        }
        guard UInt64(members.count) == directory.count else {
            throw Problem("declares \(directory.count) members, its directory holds \(members.count)")
        }
        self.members = members
    }

    func member(named name: String) -> Member? { members.first { $0.name == name } }

    /// Hands the member's bytes to `consumer` in pieces (inflated if deflated; the consumer may
    /// throw to stop early) and returns their CRC-32.
    func extract(_ member: Member, _ consumer: (Data) throws -> Void) throws -> UInt32 {
        let input = bytes[member.dataStart..<(member.dataStart + member.compressedSize)]
        switch member.method {
        case 0:
            guard member.compressedSize == member.uncompressedSize else {
                throw Problem(
                    "stored member '\(member.name)' has \(member.compressedSize) bytes, its directory declares \(member.uncompressedSize)"
                )
            }
            try consumer(Data(input))
            return Self.crc32(of: input)
        case 8:
            return try inflate(input, member: member, consumer)
        default:
            throw Problem(
                "member '\(member.name)' uses compression method \(member.method) (only stored, 0, and deflate, 8, are read)"
            )
        }
    }

    // MARK: - Directory

    private struct Directory {
        let count: UInt64
        let offset: Int
        let end: Int
    }

    private static func centralDirectory(_ bytes: [UInt8]) throws(Problem) -> Directory {
        // The end record is the last 22 bytes, or earlier by a comment of at most 65,535 bytes.
        guard bytes.count >= 22 else { throw Problem("is too short to be a zip archive (\(bytes.count) bytes)") }
        var end = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 65_535)
        while end >= lowest, read32(bytes, end) != 0x0605_4b50 { end -= 1 }
        guard end >= lowest else { throw Problem("has no end-of-central-directory record (not a zip archive)") }
        var count = UInt64(read16(bytes, end + 10))
        var size = UInt64(read32(bytes, end + 12))
        var offset = UInt64(read32(bytes, end + 16))
        // zip64: a locator just before the end record points at the 64-bit end record.
        if end >= 20, read32(bytes, end - 20) == 0x0706_4b50 {
            let record = read64(bytes, end - 12)
            guard bytes.count >= 56, record <= UInt64(bytes.count - 56), read32(bytes, Int(record)) == 0x0606_4b50
            else {
                throw Problem("has a zip64 locator that points at no zip64 end record")
            }
            count = read64(bytes, Int(record) + 32)
            size = read64(bytes, Int(record) + 40)
            offset = read64(bytes, Int(record) + 48)
        }
        guard offset <= UInt64(bytes.count), size <= UInt64(bytes.count) - offset else {
            throw Problem("declares a central directory at \(offset) of \(size) bytes, beyond its \(bytes.count) bytes")
        }
        return Directory(count: count, offset: Int(offset), end: Int(offset + size))
    }

    private static func member(_ bytes: [UInt8], at offset: inout Int, end: Int, index: Int) throws(Problem) -> Member {
        let start = offset
        guard end - start >= 46, read32(bytes, start) == 0x0201_4b50 else {
            throw Problem("directory entry \(index) at \(start) is missing or truncated")
        }
        let flags = read16(bytes, start + 8)
        let method = read16(bytes, start + 10)
        let checksum = read32(bytes, start + 16)
        var compressed = UInt64(read32(bytes, start + 20))
        var uncompressed = UInt64(read32(bytes, start + 24))
        let nameLength = Int(read16(bytes, start + 28))
        let extraLength = Int(read16(bytes, start + 30))
        let commentLength = Int(read16(bytes, start + 32))
        var localHeader = UInt64(read32(bytes, start + 42))
        guard end - start - 46 >= nameLength + extraLength + commentLength else {
            throw Problem("directory entry \(index) at \(start) is truncated")
        }
        let name = String(decoding: bytes[(start + 46)..<(start + 46 + nameLength)], as: UTF8.self)
        try zip64Sizes(
            bytes, extra: (start + 46 + nameLength)..<(start + 46 + nameLength + extraLength),
            uncompressed: &uncompressed, compressed: &compressed, localHeader: &localHeader)
        offset = start + 46 + nameLength + extraLength + commentLength
        guard flags & 1 == 0 else { throw Problem("member '\(name)' is encrypted") }

        // The member's bytes follow its local header, whose name and extra lengths are its own.
        guard bytes.count >= 30, localHeader <= UInt64(bytes.count - 30), read32(bytes, Int(localHeader)) == 0x0403_4b50
        else {
            throw Problem("member '\(name)' has no local header at \(localHeader)")
        }
        let dataStart =
            Int(localHeader) + 30 + Int(read16(bytes, Int(localHeader) + 26))
            + Int(read16(bytes, Int(localHeader) + 28))
        guard dataStart <= bytes.count, compressed <= UInt64(bytes.count - dataStart) else {
            throw Problem(
                "member '\(name)' declares \(compressed) bytes from \(dataStart), beyond the archive's \(bytes.count) bytes"
            )
        }
        guard uncompressed <= UInt64(Int.max) else {
            throw Problem("member '\(name)' declares an impossible size \(uncompressed)")
        }
        return Member(
            name: name, method: method, checksum: checksum, compressedSize: Int(compressed),
            uncompressedSize: Int(uncompressed), dataStart: dataStart)
    }

    /// The zip64 extra field (id 1) holds, in this order, the sizes and offset whose 32-bit
    /// fields are 0xFFFFFFFF.
    private static func zip64Sizes(
        _ bytes: [UInt8], extra: Range<Int>, uncompressed: inout UInt64, compressed: inout UInt64,
        localHeader: inout UInt64
    ) throws(Problem) {
        var field = extra.lowerBound
        while extra.upperBound - field >= 4 {
            let id = read16(bytes, field)
            let length = Int(read16(bytes, field + 2))
            let body = field + 4
            guard extra.upperBound - body >= length else { throw Problem("has a truncated extra field at \(field)") }
            if id == 1 {
                var next = body
                func take(_ value: inout UInt64) throws(Problem) {
                    guard value == 0xFFFF_FFFF else { return }
                    guard body + length - next >= 8 else {
                        throw Problem("has a zip64 extra field at \(field) without its sizes")
                    }
                    value = read64(bytes, next)
                    next += 8
                }
                try take(&uncompressed)
                try take(&compressed)
                try take(&localHeader)
            }
            field = body + length
        }
    }

    // MARK: - Inflating

    private func inflate(_ input: ArraySlice<UInt8>, member: Member, _ consumer: (Data) throws -> Void) throws -> UInt32
    {
        var stream = z_stream()
        // Raw deflate (negative window bits): zip members carry no zlib header.
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Problem("zlib could not start inflating member '\(member.name)'")
        }
        defer { inflateEnd(&stream) }
        var crc = CZlib.crc32(0, nil, 0)
        var produced = 0
        var output = [UInt8](repeating: 0, count: 1 << 16)
        let finished: Bool = try input.withUnsafeBufferPointer { source in
            var consumed = 0
            while true {
                // zlib counts in 32 bits: the input is handed over a gigabyte at a time.
                if stream.avail_in == 0 && consumed < source.count {
                    let piece = min(source.count - consumed, 1 << 30)
                    stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress! + consumed)
                    stream.avail_in = UInt32(piece)
                    consumed += piece
                }
                let status: Int32 = output.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(buffer.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let count = output.count - Int(stream.avail_out)
                if count > 0 {
                    crc = output.withUnsafeBufferPointer { CZlib.crc32(crc, $0.baseAddress, UInt32(count)) }
                    produced += count
                    guard produced <= member.uncompressedSize else {
                        throw Problem(
                            "member '\(member.name)' inflates beyond the \(member.uncompressedSize) bytes its directory declares"
                        )
                    }
                    try consumer(Data(output[0..<count]))
                }
                switch status {
                case Z_STREAM_END: return true
                case Z_OK: continue
                // No progress possible: all input given and the stream not ended.
                case Z_BUF_ERROR where consumed == source.count && stream.avail_in == 0: return false
                case Z_BUF_ERROR: continue
                default:
                    throw Problem(
                        "member '\(member.name)' is corrupt deflate data (zlib: \(stream.msg.map { String(cString: $0) } ?? "error \(status)"))"
                    )
                }
            }
        }
        guard finished else {
            throw Problem(
                "member '\(member.name)' is truncated: its deflate stream does not end within its \(member.compressedSize) bytes"
            )
        }
        guard produced == member.uncompressedSize else {
            throw Problem(
                "member '\(member.name)' inflates to \(produced) bytes, its directory declares \(member.uncompressedSize)"
            )
        }
        return UInt32(crc)
    }

    private static func crc32(of bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc = CZlib.crc32(0, nil, 0)
        bytes.withUnsafeBufferPointer { buffer in
            var done = 0
            while done < buffer.count {
                let piece = min(buffer.count - done, 1 << 30)
                crc = CZlib.crc32(crc, buffer.baseAddress! + done, UInt32(piece))
                done += piece
            }
        }
        return UInt32(crc)
    }

    // MARK: - Little-endian fields (callers have checked the bounds)

    private static func read16(_ bytes: [UInt8], _ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
    private static func read32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(read16(bytes, at)) | UInt32(read16(bytes, at + 2)) << 16
    }
    private static func read64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        UInt64(read32(bytes, at)) | UInt64(read32(bytes, at + 4)) << 32
    }
}
