using Skillscope.Trees;
using Skillscope.Trees.Prediction;

namespace Skillscope.Cli.Commands;

/// <summary>The output columns of <c>predict</c> and how many values each row has.</summary>
internal static class PredictionTable
{
    public static string[] Header(PredictionKind kind, TreePredictor predictor)
    {
        var model = predictor.Model;
        return kind switch
        {
            PredictionKind.Prediction => predictor.OutputWidth == 1 ? ["prediction"] : ClassColumns(predictor.OutputWidth),
            PredictionKind.Margin => predictor.GroupCount == 1 ? ["margin"] : ClassColumns(predictor.GroupCount),
            PredictionKind.Leaves => [.. Enumerable.Range(0, predictor.TreeCount).Select(t => $"tree_{t}")],
            PredictionKind.Contributions => ContributionColumns(model, predictor.GroupCount),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    public static int Width(PredictionKind kind, TreePredictor predictor) => kind switch
    {
        PredictionKind.Prediction => predictor.OutputWidth,
        PredictionKind.Margin => predictor.GroupCount,
        PredictionKind.Leaves => predictor.TreeCount,
        PredictionKind.Contributions => predictor.ContributionWidth,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static string[] ClassColumns(int count) => [.. Enumerable.Range(0, count).Select(k => $"class_{k}")];

    private static string[] ContributionColumns(XgboostModel model, int groups)
    {
        string[] perGroup = [.. Enumerable.Range(0, model.FeatureCount).Select(f => model.FeatureNames?[f] ?? $"f{f}"), "bias"];
        return groups == 1
            ? perGroup
            : [.. Enumerable.Range(0, groups).SelectMany(g => perGroup.Select(name => $"class_{g}:{name}"))];
    }
}
