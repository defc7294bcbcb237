namespace Skillscope.Trees.Model;

/// <summary>Everything the reader extracted and validated, handed to the model in one piece.</summary>
internal sealed record ModelParts(
    ModelObjective Objective,
    BoosterKind Booster,
    int FeatureCount,
    int GroupCount,
    IReadOnlyList<string>? FeatureNames,
    IReadOnlyList<FeatureKind> FeatureKinds,
    float[] BaseScores,
    int? BestIteration,
    IReadOnlyList<int>? WriterVersion,
    RegressionTree[] Trees,
    int[] TreeGroups,
    float[] TreeWeights,
    int[] IterationStarts,
    LinearWeights? Linear,
    IReadOnlyDictionary<string, string> Attributes);
