import Foundation

extension PickleMachine {
    // MARK: the machine

    mutating func run() throws(PickleError) -> PickleItem {
        while true {
            opcodeStart = at
            guard at < bytes.count else { throw fail("ends before its STOP opcode (truncated)") }
            let byte = bytes[at]
            at += 1
            guard let op = PickleOpcode(rawValue: byte) else {
                throw fail(String(format: "unknown opcode 0x%02X (not a pickle, or a newer protocol)", byte))
            }
            switch op {
            case .proto: _ = try take(1)
            case .frame: _ = try take(8)
            case .stop: return try pop()
            case .none: try push(.none)
            case .newTrue: try push(.bool(true))
            case .newFalse: try push(.bool(false))
            case .binInt:
                try push(.int(Int(Int32(bitPattern: UInt32(truncatingIfNeeded: try unsigned(4))))))
            case .binInt1: try push(.int(try unsigned(1)))
            case .binInt2: try push(.int(try unsigned(2)))
            case .long1, .long4:
                let n = op == .long1 ? try unsigned(1) : try unsigned(4)
                guard n <= 8 else { throw fail("holds an integer of \(n) bytes, beyond 64 bits") }
                let b = try take(n)
                var v: UInt64 = 0
                for (i, x) in b.enumerated() { v |= UInt64(x) << (8 * UInt64(i)) }
                if n > 0 && n < 8 && b.last! & 0x80 != 0 { v |= ~0 << (8 * UInt64(n)) }
                try push(.int(n == 0 ? 0 : Int(Int64(bitPattern: v))))
            case .binFloat:  // big-endian
                let b = try take(8)
                var v: UInt64 = 0
                for x in b { v = v << 8 | UInt64(x) }
                try push(.float(Double(bitPattern: v)))
            case .binUnicode: try push(try string(try unsigned(4)))
            case .shortBinUnicode: try push(try string(try unsigned(1)))
            case .binUnicode8: try push(try string(try unsigned(8)))
            case .binString, .shortBinString:  // Python 2 str: bytes, read as Latin-1 text
                let b = try take(op == .binString ? try unsigned(4) : try unsigned(1))
                try push(.string(Self.latin1(b)))
            // Protocols 0 and 1 write these as text lines.
            case .int: try push(try textInteger(try line(), allowsBool: true))
            case .long: try push(try textInteger(try line(), allowsBool: false))
            case .float:
                let text = try line()
                guard let v = Double(text.trimmingCharacters(in: .whitespaces)) else {
                    throw fail("FLOAT '\(text.prefix(40))' is not a number")
                }
                try push(.float(v))
            case .string: try push(.string(try quotedString(try line())))
            case .unicode: try push(.string(try rawUnicodeEscaped(try lineBytes())))
            case .get: try recall(try textIndex(try line()))
            case .put: try memoize(try textIndex(try line()))
            case .inst, .obj: throw fail("INST and OBJ create arbitrary objects: refused")
            case .ext1, .ext2, .ext4: throw fail("extension-registry globals are refused")
            case .binBytes: try push(.bytes(Array(try take(try unsigned(4)))))
            case .shortBinBytes: try push(.bytes(Array(try take(try unsigned(1)))))
            case .binBytes8, .byteArray8: try push(.bytes(Array(try take(try unsigned(8)))))
            case .emptyList: try push(.list(made(ListBox())))
            case .emptyTuple: try push(tuple([]))
            case .emptyDict: try push(.dict(made(DictBox())))
            case .emptySet: try push(.set(made(ListBox())))
            case .mark:
                marks.append(stack.count)
                try push(.mark)
            case .list:
                let box = made(ListBox())
                box.items = try popMark()
                try push(.list(box))
            case .tuple: try push(tuple(try popMark()))
            case .tuple1: try push(tuple([try pop()]))
            case .tuple2:
                let b = try pop()
                try push(tuple([try pop(), b]))
            case .tuple3:
                let c = try pop()
                let b = try pop()
                try push(tuple([try pop(), b, c]))
            case .frozenSet:
                let box = made(ListBox())
                box.items = try popMark()
                try push(.set(box))
            case .dict:
                let items = try popMark()
                guard items.count % 2 == 0 else { throw fail("DICT with an odd number of items") }
                let box = made(DictBox())
                box.pairs = stride(from: 0, to: items.count, by: 2).map { (items[$0], items[$0 + 1]) }
                try push(.dict(box))
            case .append:
                let v = try pop()
                try list(from: stack.last).items.append(v)
            case .appends:
                let v = try popMark()
                try list(from: stack.last).items.append(contentsOf: v)
            case .addItems:
                let v = try popMark()
                guard case .set(let box)? = stack.last else { throw fail("ADDITEMS to something that is not a set") }
                box.items.append(contentsOf: v)
            case .setItem:
                let v = try pop()
                let k = try pop()
                try dict(from: stack.last).pairs.append((k, v))
            case .setItems:
                let items = try popMark()
                guard items.count % 2 == 0 else { throw fail("SETITEMS with an odd number of items") }
                let box = try dict(from: stack.last)
                for i in stride(from: 0, to: items.count, by: 2) { box.pairs.append((items[i], items[i + 1])) }
            case .pop: _ = try pop()
            case .popMark: _ = try popMark()
            case .dup:
                guard let top = stack.last else { throw fail("DUP on an empty stack") }
                try push(top)
            case .binPut: try memoize(try unsigned(1))
            case .longBinPut: try memoize(try unsigned(4))
            case .memoize: try memoize(memo.count)
            case .binGet: try recall(try unsigned(1))
            case .longBinGet: try recall(try unsigned(4))
            case .global:  // "module\nname\n"
                let module = try line()
                let name = try line()
                try push(try global(module, name))
            case .stackGlobal:
                let name = try pop()
                let module = try pop()
                guard case .string(let n) = name, case .string(let m) = module else {
                    throw fail("STACK_GLOBAL without two strings")
                }
                try push(try global(m, n))
            case .reduce:
                let args = try pop()
                let callable = try pop()
                try push(try reduce(callable, args))
            case .build:
                let state = try pop()
                guard let target = stack.last else { throw fail("BUILD on an empty stack") }
                try build(target, state)
            case .newObj, .newObjEx: throw fail("NEWOBJ creates arbitrary objects: refused")
            case .persistentID, .binPersistentID: throw fail("persistent ids are refused")
            case .nextBuffer, .readonlyBuffer: throw fail("out-of-band buffers (protocol 5) are not supported")
            }
        }
    }
}
