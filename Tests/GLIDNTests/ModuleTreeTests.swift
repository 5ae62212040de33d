import Autograd
import GLIDN
import HOIData
import NN
import Settings
import Testing

/// Every weight a module stores must be one of its `children`: otherwise it would be left
/// out of `namedParameters()`, so neither trained nor saved, and nothing else would notice.
enum ModuleTree {
    /// The parameters and modules stored in `value`'s properties, looking through optionals,
    /// arrays, tuples and plain structs, but not into modules (each is checked on its own).
    static func stored(in value: Any) -> [AnyObject] {
        var found: [AnyObject] = []
        func visit(_ x: Any, depth: Int) {
            if let p = x as? Parameter {
                found.append(p)
                return
            }
            if let m = x as? any Module {
                found.append(m)
                return
            }
            if x is Tensor || depth > 8 { return }
            for child in Mirror(reflecting: x).children { visit(child.value, depth: depth + 1) }
        }
        for child in Mirror(reflecting: value).children { visit(child.value, depth: 0) }
        return found
    }

    /// For every module of the tree under `root`: its stored weights and sub-modules that
    /// `children` does not list, as "module type: property type".
    static func unlisted(under root: any Module) -> [String] {
        var problems: [String] = []
        var queue: [any Module] = [root]
        while let module = queue.popLast() {
            let listed: [AnyObject] = module.children.map {
                switch $0.child {
                case .parameter(let p): return p
                case .module(let m): return m
                }
            }
            for object in stored(in: module) where !listed.contains(where: { $0 === object }) {
                problems.append("\(type(of: module)) stores a \(type(of: object)) that its children do not list")
            }
            queue += module.children.compactMap { if case .module(let m) = $0.child { return m } else { return nil } }
        }
        return problems
    }
}

@Suite("The module tree")
struct ModuleTreeTests {
    @Test(
        "every stored parameter and sub-module of every variant, task and scheme is listed in its children",
        arguments: TaskKind.allCases)
    func everyWeightIsListed(task: TaskKind) throws {
        for variant in Variant.allCases {
            for scheme in Catalogues.distillationSchemes.names {
                let model = try GLIDNModel(
                    config: TestClips.config(task: task, variant: variant, distill: scheme), seed: 0)
                let problems = ModuleTree.unlisted(under: model)
                #expect(problems.isEmpty, "\(variant) \(scheme): \(problems)")
                #expect(
                    model.namedParameters().count == Set(model.namedParameters().map(\.name)).count, "names are unique")
            }
        }
    }

    @Test("the check finds a weight that a module forgets to list")
    func catchesAnUnlistedWeight() {
        final class Forgetful: Module {
            var generator = SeededGenerator(seed: 1)
            let listed = Parameter(.zeros([2]))
            let forgotten: (Linear?, Int)
            init() {
                forgotten = (Linear(inFeatures: 2, outFeatures: 2, generator: &generator), 0)
            }
            var children: [(name: String, child: ModuleChild)] { [("listed", .parameter(listed))] }
        }
        #expect(ModuleTree.unlisted(under: Forgetful()) == ["Forgetful stores a Linear that its children do not list"])
    }
}
