import Autograd
import Foundation
import HOIData
import Testing

@Suite("The safe pickle reader")
struct PickleTests {
    @Test("plain data and NumPy arrays in every protocol", arguments: [0, 1, 2, 3, 4, 5])
    func protocols(version: Int) throws {
        let v = try SafePickleReader.read(contentsOf: Fixtures.url("data_p\(version).pkl"))
        #expect(v["none"] == PickleValue.none && v["yes"] == .bool(true) && v["no"] == .bool(false))
        #expect(
            v["small"] == .int(7) && v["negative"] == .int(-300) && v["big"] == .int(1 << 40)
                && v["huge_negative"] == .int(-(1 << 62)))
        #expect(v["float"] == .float(2.5) && v["text"] == .string("héllo") && v["raw"] == .bytes([0, 1]))
        #expect(v["tuple"] == .tuple([.int(1), .string("a"), .tuple([.float(2.0)])]))
        #expect(
            v["shared"] == .list([.list([.int(1), .int(2)]), .list([.int(1), .int(2)])]), "a memoised list read twice")
        #expect(v["nested"]?["k"]?.items?.first?["deep"] == .list([.int(1), .list([.int(2), .list([.int(3)])])]))
        #expect(v["set"] == .set([.int(3), .int(4)]) && v["frozen"] == .set([.int(5)]))
        let array = try #require(v["array"]?.arrayValue)
        if version < 2 {  // protocols 0 and 1 hold a smaller array (tools/fixtures/make_reader_fixtures.py)
            #expect(array.shape == [2, 3] && array.floats == (0..<6).map(Float.init) && array.dtype == "<f8")
            return
        }
        #expect(array.shape == [3, 4] && array.floats == (0..<12).map(Float.init) && array.dtype == "<f8")
        #expect(v["ints"]?.arrayValue?.integers == [1, -2] && v["float32"]?.arrayValue?.floats == [0.5])
    }

    @Test(
        "Python 2's pickles: str as Latin-1 text (STRING, SHORT_BINSTRING), INT bools, LONG, and arrays whose data is a str"
    )
    func python2() throws {
        let text = try SafePickleReader.read(contentsOf: Fixtures.url("py2_strings.pkl"))
        #expect(
            text["text"] == .string("h\u{E9}llo\n") && text["n"] == .int(1) && text["big"] == .int(12_345_678_901)
                && text["ok"] == .bool(true))
        let array = try #require(try SafePickleReader.read(contentsOf: Fixtures.url("py2_array.pkl")).arrayValue)
        #expect(array.shape == [2, 3] && array.floats == [1.5, -2, 3, 4, 5, 6.25])
    }

    @Test("hostile sharing and nesting: bounded time, memory and stack, and an error that says why")
    func hostileStructure() throws {
        // 448 bytes whose lists share children: 2^60 values if expanded.
        for name in ["shared_lists.pkl", "shared_dicts.pkl"] {
            #expect { _ = try SafePickleReader.read(contentsOf: Fixtures.url(name)) } throws: {
                "\($0)".contains("expand to more than")
            }
        }
        // 50,000 nested lists (and tuples): refused, and released without recursing.
        var deep = Data([0x80, 0x02])
        deep.append(contentsOf: [UInt8](repeating: 0x5D, count: 50_000))
        deep.append(contentsOf: [UInt8](repeating: 0x61, count: 49_999))
        deep.append(0x2E)
        #expect { _ = try SafePickleReader.parse(deep, path: "deep-lists") } throws: { "\($0)".contains("deeper than") }
        var tuples = Data([0x80, 0x02, 0x4E])
        tuples.append(contentsOf: [UInt8](repeating: 0x85, count: 100_000))  // TUPLE1 around the last, 100,000 times
        tuples.append(0x2E)
        #expect { _ = try SafePickleReader.parse(tuples, path: "deep-tuples") } throws: {
            "\($0)".contains("deeper than")
        }
        // Unfinished: deep nesting left on the stack by a truncated pickle is released too.
        #expect(throws: PickleError.self) { _ = try SafePickleReader.parse(deep.dropLast(), path: "truncated") }
        // Text operands that do not parse are errors, never traps.
        for bad in [
            "I99999999999999999999999\n.", "L-\n.", "F1e9999x\n.", "S'unterminated\n.", "g-1\n.", "S'\\x4'\n.",
            "V\\u12\n.",
        ] {
            #expect(throws: PickleError.self, "\(bad)") { _ = try SafePickleReader.parse(Data(bad.utf8), path: "text") }
        }
    }

    @Test("the protocols' own constructors are read, never called: bytes in protocol 2, sets in 2 and 3, arrays in 5")
    func protocolConstructors() throws {
        // data_p2 stores its bytes with _codecs.encode, data_p3 its sets with builtins.set,
        // data_p5 its arrays with numpy…_frombuffer: the protocol test above reads all of them.
        let p2 = try SafePickleReader.read(contentsOf: Fixtures.url("data_p2.pkl"))
        #expect(p2["raw"] == .bytes([0, 1]))
        #expect {
            _ = try SafePickleReader.parse(
                Data("c_codecs\nencode\n(X\u{1}\u{0}\u{0}\u{0}aX\u{5}\u{0}\u{0}\u{0}utf-8tR.".utf8), path: "codecs")
        } throws: {
            "\($0)".contains("(str, 'latin1')")
        }
    }

    @Test("a pickle that would run code is refused by the global's name, and nothing runs")
    func evil() {
        #expect { _ = try SafePickleReader.read(contentsOf: Fixtures.url("evil.pkl")) } throws: { error in
            let text = "\(error)"
            return text.contains("refuses the global") && (text.contains("posix.system") || text.contains("os.system"))
        }
    }

    @Test("a cycle is an error, not a hang or a crash")
    func cycle() {
        #expect { _ = try SafePickleReader.read(contentsOf: Fixtures.url("cycle.pkl")) } throws: {
            "\($0)".contains("cycle")
        }
    }

    @Test("truncation, unknown opcodes, absurd lengths and bad memo references are errors with an offset")
    func broken() throws {
        let good = try Data(contentsOf: Fixtures.url("data_p3.pkl"))
        let cases: [(Data, String)] = [
            (Data(), "ends before its STOP"),
            (good.prefix(good.count / 2), "truncated"),
            (Data([0x80, 0x03, 0xFF]), "unknown opcode 0xFF"),
            (Data([0x80, 0x03, 0x58, 0xFF, 0xFF, 0xFF, 0x7F]), "needs 2147483647 more bytes"),
            (Data([0x80, 0x04, 0x8D] + [UInt8](repeating: 0xFF, count: 8)), "absurd"),
            (Data([0x80, 0x03, 0x68, 0x05, 0x2E]), "memo entry 5"),
            (Data([0x80, 0x03, 0x4E, 0x4E, 0x61, 0x2E]), "APPEND to something that is not a list"),
            (Data([0x80, 0x03, 0x2E]), "empty stack"),
            (Data([0x80, 0x03, 0x4E, 0x81, 0x2E]), "NEWOBJ"),
            (Data("cbuiltins\neval\n.".utf8), "refuses the global builtins.eval"),
        ]
        for (bytes, fragment) in cases {
            #expect { _ = try SafePickleReader.parse(bytes, path: "/x/bad.pkl") } throws: { error in
                "\(error)".contains("/x/bad.pkl") && "\(error)".contains(fragment)
            }
        }
        // Deep nesting is refused before it can exhaust the stack.
        var deep = Data([0x80, 0x03])
        for _ in 0..<2000 { deep.append(0x5D) }  // 2000 empty lists …
        for _ in 0..<1999 { deep.append(0x61) }  // … each appended into the one below
        deep.append(0x2E)
        #expect { _ = try SafePickleReader.parse(deep, path: "deep") } throws: { "\($0)".contains("deeper than") }
    }

    @Test("fuzzing: random bytes and mutated real pickles never crash the reader")
    func fuzz() throws {
        var g = SeededGenerator(seed: 99)
        let seeds =
            try [2, 3, 4, 5].map { try [UInt8](Data(contentsOf: Fixtures.url("data_p\($0).pkl"))) }
            + [try [UInt8](Data(contentsOf: Fixtures.url("person_bbox.pkl")))]
        var parsed = 0
        for round in 0..<4000 {
            var bytes: [UInt8]
            if round % 4 == 0 {
                bytes = (0..<g.nextInt(below: 64)).map { _ in UInt8(g.nextInt(below: 256)) }
            } else {
                bytes = seeds[g.nextInt(below: seeds.count)]
                for _ in 0..<(1 + g.nextInt(below: 4)) {
                    let at = g.nextInt(below: bytes.count)
                    switch g.nextInt(below: 3) {
                    case 0: bytes[at] = UInt8(g.nextInt(below: 256))
                    case 1: bytes.removeSubrange(at..<min(bytes.count, at + 1 + g.nextInt(below: 8)))
                    default: bytes.insert(UInt8(g.nextInt(below: 256)), at: at)
                    }
                    if bytes.isEmpty { break }
                }
            }
            if (try? SafePickleReader.parse(Data(bytes), path: "fuzz")) != nil { parsed += 1 }
        }
        #expect(parsed < 4000, "most mutations are rejected")
    }
}
