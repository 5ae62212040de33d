/// A tensor operation was called with shapes it cannot work with.
///
/// Ops validate with the throwing helpers in `Shape`, and trap with this message
/// when the caller's code is wrong (as Swift does for an out-of-range index); data
/// readers use the same helpers to turn bad files into thrown errors instead.
public struct ShapeError: Error, CustomStringConvertible, Equatable {
    public let op: String
    public let message: String

    public init(op: String, _ message: String) {
        self.op = op
        self.message = message
    }

    public var description: String { "\(op): \(message)" }
}

/// Stops with the error's message: used for programming errors in op calls.
/// (`fatalError`, because optimised builds drop the message of `preconditionFailure`.)
@inline(never)
func shapeFailure(_ error: ShapeError, file: StaticString = #file, line: UInt = #line) -> Never {
    fatalError(error.description, file: file, line: line)
}

/// Runs a shape check and traps with its message when it fails.
@inline(__always)
func checked<T>(_ body: () throws(ShapeError) -> T) -> T {
    do { return try body() } catch { shapeFailure(error) }
}

/// `precondition` that keeps its message in optimised builds, where a user of the
/// library needs it most. For programming errors only; bad data gets thrown errors.
@inline(__always)
public func require(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #file, line: UInt = #line
) {
    if !condition() { fatalError(message(), file: file, line: line) }
}
