/// The opcodes of Python's pickle protocols 0–5, by the names `pickletools` gives them.
/// Protocols 0 and 1 spell values as text lines; 2–5 add binary forms, frames and the
/// protocol-5 buffers. `PickleMachine+Opcodes` says which it runs and which it refuses.
enum PickleOpcode: UInt8 {
    // Protocol 0 and 1
    case mark = 0x28  // (
    case stop = 0x2E  // .
    case pop = 0x30  // 0
    case popMark = 0x31  // 1
    case dup = 0x32  // 2
    case float = 0x46  // F: a float as a text line
    case int = 0x49  // I: an int (or 00 / 01 for a bool) as a text line
    case binInt = 0x4A  // J: 4-byte signed
    case binInt1 = 0x4B  // K: 1-byte unsigned
    case long = 0x4C  // L: a long as a text line, maybe ending in L
    case binInt2 = 0x4D  // M: 2-byte unsigned
    case none = 0x4E  // N
    case persistentID = 0x50  // P
    case binPersistentID = 0x51  // Q
    case reduce = 0x52  // R
    case string = 0x53  // S: a quoted Python 2 str as a text line
    case binString = 0x54  // T: 4-byte length, Python 2 str
    case shortBinString = 0x55  // U: 1-byte length, Python 2 str
    case unicode = 0x56  // V: raw-unicode-escaped text line
    case binUnicode = 0x58  // X: 4-byte length, UTF-8
    case append = 0x61  // a
    case build = 0x62  // b
    case global = 0x63  // c: "module\nname\n"
    case dict = 0x64  // d
    case appends = 0x65  // e
    case get = 0x67  // g: memo index as a text line
    case binGet = 0x68  // h
    case inst = 0x69  // i
    case longBinGet = 0x6A  // j
    case list = 0x6C  // l
    case obj = 0x6F  // o
    case put = 0x70  // p: memo index as a text line
    case binPut = 0x71  // q
    case longBinPut = 0x72  // r
    case setItem = 0x73  // s
    case tuple = 0x74  // t
    case setItems = 0x75  // u
    case emptyDict = 0x7D  // }
    case emptyList = 0x5D  // ]
    case emptyTuple = 0x29  // )
    case binFloat = 0x47  // G: 8-byte big-endian double
    // Protocol 2
    case proto = 0x80
    case newObj = 0x81
    case ext1 = 0x82
    case ext2 = 0x83
    case ext4 = 0x84
    case tuple1 = 0x85
    case tuple2 = 0x86
    case tuple3 = 0x87
    case newTrue = 0x88
    case newFalse = 0x89
    case long1 = 0x8A
    case long4 = 0x8B
    // Protocol 3
    case binBytes = 0x42  // B
    case shortBinBytes = 0x43  // C
    // Protocol 4
    case shortBinUnicode = 0x8C
    case binUnicode8 = 0x8D
    case binBytes8 = 0x8E
    case emptySet = 0x8F
    case addItems = 0x90
    case frozenSet = 0x91
    case newObjEx = 0x92
    case stackGlobal = 0x93
    case memoize = 0x94
    case frame = 0x95
    // Protocol 5
    case byteArray8 = 0x96
    case nextBuffer = 0x97
    case readonlyBuffer = 0x98
}
