/// Modules of one kind in order, named by position (`0`, `1`, …) as in PyTorch's ModuleList.
public final class ModuleList<Element: Module>: Module {
    public let elements: [Element]

    public init(_ elements: [Element]) { self.elements = elements }

    public var children: [(name: String, child: ModuleChild)] {
        elements.enumerated().map { (String($0.offset), .module($0.element)) }
    }
}

/// A module made of named sub-modules only (a namespace such as `encoder` or `head`).
public final class ModuleGroup: Module {
    public let members: [(name: String, module: any Module)]

    public init(_ members: [(name: String, module: any Module)]) { self.members = members }

    public var children: [(name: String, child: ModuleChild)] {
        members.map { ($0.name, .module($0.module)) }
    }
}
