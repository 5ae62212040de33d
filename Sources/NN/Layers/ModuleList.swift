/// Modules of one kind in order, named by position (`0`, `1`, …) as in PyTorch's ModuleList.
public final class ModuleList<Element: Module>: Module {
    public let elements: [Element]

    public init(_ elements: [Element]) { self.elements = elements }

    public var children: [(name: String, child: ModuleChild)] {
        elements.enumerated().map { (String($0.offset), .module($0.element)) }
    }
}
