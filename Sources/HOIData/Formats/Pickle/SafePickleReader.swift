import Autograd
import Foundation

/// Reads Python pickles (protocols 0–5, Python 2's among them) without running anything.
///
/// Pickles are programs for a stack machine whose GLOBAL and REDUCE opcodes can call
/// any Python function; `pickle.load` on an untrusted file runs arbitrary code. This
/// reader interprets the opcodes itself and builds only plain values: None, bools,
/// ints, floats, strings, bytes, lists, tuples, dicts, sets — and NumPy arrays, from
/// the globals `numpy.core.multiarray._reconstruct` (or `numpy._core…`),
/// `numpy.ndarray` and `numpy.dtype`. A few pure constructors of plain data that the
/// protocols themselves need are recognised too (never called): `_codecs.encode(str,
/// 'latin1')`, how protocol 2 writes bytes; `builtins.set`/`frozenset`, how protocols
/// 2–3 write sets; and `numpy…numeric._frombuffer`, how protocol 5 writes arrays. Any
/// other global is refused by name. Lengths are checked against the bytes left before
/// anything is allocated, and cycles, unknown opcodes and truncation are errors. Python 2
/// strings (STRING, BINSTRING, SHORT_BINSTRING) are read as Latin-1 text, as Python's
/// `encoding='latin1'` does, and where a NumPy array's data comes as such a string, its code
/// points are the bytes. Containers may nest to any depth while the machine runs, but the
/// value it returns nests at most `maximumDepth` levels, and shared containers stay shared:
/// its expansion (every shared part counted each time it is used) is capped at
/// `maximumExpansion` values (or eight times the distinct values, if more), so that no reader
/// of the value can be sent into an exponential walk.
public struct SafePickleReader {
    public static let allowedGlobals: Set<String> = [
        "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct", "numpy.ndarray", "numpy.dtype",
        "_codecs.encode", "builtins.set", "builtins.frozenset", "__builtin__.set", "__builtin__.frozenset",
        "numpy.core.numeric._frombuffer", "numpy._core.numeric._frombuffer",
    ]
    static let maximumDepth = 400
    static let maximumExpansion = 1 << 22
    static let maximumStack = 10_000_000

    public static func read(contentsOf url: URL) throws(PickleError) -> PickleValue {
        let data: Data
        do { data = try InputFile.contents(of: url) } catch {
            throw PickleError(path: url.path, offset: 0, problem: error.problem)
        }
        return try parse(data, path: url.path)
    }

    public static func parse(_ data: Data, path: String) throws(PickleError) -> PickleValue {
        var machine = PickleMachine(bytes: [UInt8](data), path: path)
        defer { machine.tearDown() }
        let item = try machine.run()
        return try machine.resolve(item)
    }
}
