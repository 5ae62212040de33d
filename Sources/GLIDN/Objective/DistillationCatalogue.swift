/// Every distillation scheme the model knows, by `--distill` name. A new scheme is one file
/// (a type conforming to `DistillationScheme`) and one line here.
public enum DistillationCatalogue {
    public static let schemes: [any DistillationScheme.Type] = [
        MutualDistillation.self,
        GlobalToLocalDistillation.self,
        LocalToGlobalDistillation.self,
        NoDistillation.self,
        EnsembleDistillation.self,
        GatedDistillation.self,
        ProjectedDistillation.self,
        RelationalDistillation.self,
    ]

    public static var names: [String] { schemes.map { $0.name } }

    public static func scheme(named name: String) -> (any DistillationScheme.Type)? {
        schemes.first { $0.name == name }
    }
}
