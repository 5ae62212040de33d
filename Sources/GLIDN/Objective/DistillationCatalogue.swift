import Settings

extension Catalogues {
    /// Every distillation scheme the model knows, by `--distill` name. A new scheme is one file
    /// (a type conforming to `DistillationScheme`) and one line here.
    public static let distillationSchemes = Catalogue<any DistillationScheme.Type>(
        option: "--distill",
        [
            MutualDistillation.self,
            GlobalToLocalDistillation.self,
            LocalToGlobalDistillation.self,
            NoDistillation.self,
            EnsembleDistillation.self,
            GatedDistillation.self,
            ProjectedDistillation.self,
            RelationalDistillation.self,
        ])
}
