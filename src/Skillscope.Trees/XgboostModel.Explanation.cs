using Skillscope.Trees.Explanation;

namespace Skillscope.Trees;

public sealed partial class XgboostModel
{
    private float[][]? _nodeMeanValues;
    private ShapTable?[]? _shapTables;

    /// <summary>Per tree, the cover-weighted mean leaf value under each node (TreeSHAP's expected values).</summary>
    internal float[][] NodeMeanValues => _nodeMeanValues ??= Array.ConvertAll(Trees, TreeShap.NodeMeanValues);

    /// <summary>Per tree, its precomputed TreeSHAP table (null for a tree too deep to tabulate); built on first use.</summary>
    internal ShapTable?[] ShapTables => _shapTables ??= Array.ConvertAll(Trees, ShapTable.Build);

    /// <summary>
    /// Global feature importance over all trees, as XGBoost's <c>get_score(importance_type=…)</c>:
    /// only features used in at least one split are listed (for gblinear: every coefficient).
    /// </summary>
    /// <exception cref="TreeModelException">A gblinear model is asked for anything but weight.</exception>
    public IReadOnlyList<FeatureImportance> GetImportance(ImportanceType type) =>
        FeatureImportanceCalculator.Compute(this, type);
}
