import Foundation

/// Reads Python pickles (protocols 2–5) without running anything.
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
/// anything is allocated, and cycles, unknown opcodes and truncation are errors.
public struct SafePickleReader {
    public static let allowedGlobals: Set<String> = [
        "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct", "numpy.ndarray", "numpy.dtype",
        "_codecs.encode", "builtins.set", "builtins.frozenset", "__builtin__.set", "__builtin__.frozenset",
        "numpy.core.numeric._frombuffer", "numpy._core.numeric._frombuffer",
    ]
    static let maximumDepth = 400
    static let maximumStack = 10_000_000

    public static func read(contentsOf url: URL) throws(PickleError) -> PickleValue {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw PickleError(path: url.path, offset: 0, problem: "cannot be read: \(error.localizedDescription)")
        }
        return try parse(data, path: url.path)
    }

    public static func parse(_ data: Data, path: String) throws(PickleError) -> PickleValue {
        var machine = PickleMachine(bytes: [UInt8](data), path: path)
        let item = try machine.run()
        return try machine.resolve(item)
    }
}
