using System.Globalization;
using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Features;
using Skillscope.Assessment.Inference;

namespace Skillscope.Assessment.Fusion;

/// <summary>
/// Fuses a skill's ML score with its linguistic and behavioral indicator scores and a confidence
/// adjustment (docs/EVIDENCE.md), and ranks the evidence behind the result: each item's weight is how
/// far it moves the fused score away from the neutral 0.5.
/// </summary>
public static class EvidenceFusion
{
    public const int DefaultEvidenceItems = 5;

    public static SkillAssessment Fuse(SkillResult result, StudentFeatures features, SkillWeights weights, SkillIndicators? indicators, int evidenceItems = DefaultEvidenceItems)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(weights);
        double ml = result.Score;
        var linguistic = Indicate(indicators?.Linguistic, features);
        var behavioral = Indicate(indicators?.Behavioral, features);
        double adjustment = 0.5 + ((ml - 0.5) * result.Confidence);

        // A source the student has no evidence of gives its weight to the others, in proportion.
        double wMl = weights.Ml, wLing = linguistic.Score is null ? 0 : weights.Linguistic, wBeh = behavioral.Score is null ? 0 : weights.Behavioral, wConf = weights.Confidence;
        double total = wMl + wLing + wBeh + wConf;
        if (total <= 0)
        {
            (wMl, total) = (1, 1);
        }

        (wMl, wLing, wBeh, wConf) = (wMl / total, wLing / total, wBeh / total, wConf / total);
        double fused = (wMl * ml) + (wLing * (linguistic.Score ?? 0)) + (wBeh * (behavioral.Score ?? 0)) + (wConf * adjustment);

        var items = new List<EvidenceItem>();
        double absoluteSum = 0;
        foreach (var feature in result.Evidence)
        {
            absoluteSum += Math.Abs(feature.Contribution);
        }

        foreach (var feature in result.Evidence)
        {
            double share = absoluteSum > 0 ? Math.Abs(feature.Contribution) / absoluteSum : 0;
            items.Add(new EvidenceItem("ml", feature.Feature, MlDescription(feature), Math.Round(wMl * Math.Abs(ml - 0.5) * share, 4), feature.Value, feature.Direction,
                Quote(feature.Feature, features)));
        }

        AddIndicatorItems(items, "linguistic", linguistic.Parts, wLing, features);
        AddIndicatorItems(items, "behavioral", behavioral.Parts, wBeh, features);
        items.Sort((a, b) => b.Weight.CompareTo(a.Weight));
        if (items.Count > evidenceItems)
        {
            items.RemoveRange(evidenceItems, items.Count - evidenceItems);
        }

        var components = new FusionComponents(Round(ml), linguistic.Score is { } l ? Round(l) : null, behavioral.Score is { } b ? Round(b) : null, Round(adjustment),
            Round(wMl), Round(wLing), Round(wBeh), Round(wConf));
        return new SkillAssessment(result.Skill, Round(ml), result.Confidence, result.Coverage, result.ModelId, result.ModelVersion, result.ModelSha256,
            Round(fused), components, items, result.Evidence);
    }

    private static (double? Score, List<(Indicator Indicator, float Value, double Normalised)> Parts) Indicate(IReadOnlyList<Indicator>? indicators, StudentFeatures features)
    {
        var parts = new List<(Indicator, float, double)>();
        if (indicators is null)
        {
            return (null, parts);
        }

        double sum = 0;
        foreach (var indicator in indicators)
        {
            int index = FeatureSet.IndexOf(indicator.Feature);
            if (index < 0 || float.IsNaN(features.Values[index]))
            {
                continue;
            }

            float value = features.Values[index];
            double normalised = indicator.Normalise(value);
            parts.Add((indicator, value, normalised));
            sum += normalised;
        }

        return parts.Count == 0 ? (null, parts) : (sum / parts.Count, parts);
    }

    private static void AddIndicatorItems(List<EvidenceItem> items, string source, List<(Indicator Indicator, float Value, double Normalised)> parts, double weight, StudentFeatures features)
    {
        foreach (var (indicator, value, normalised) in parts)
        {
            string direction = normalised >= 0.5 ? "raises" : "lowers";
            items.Add(new EvidenceItem(source, indicator.Feature, IndicatorDescription(indicator, value, normalised), Math.Round(weight * Math.Abs(normalised - 0.5) / parts.Count, 4),
                value, direction, Quote(indicator.Feature, features)));
        }
    }

    private static string MlDescription(EvidenceFeature feature)
    {
        var definition = Definition(feature.Feature);
        string value = feature.Value is { } v ? $"{Format(v)} {definition?.Unit}".TrimEnd() : "no evidence";
        return $"{feature.Label} ({value}) {(feature.Contribution >= 0 ? "raised" : "lowered")} the model's score";
    }

    private static string IndicatorDescription(Indicator indicator, float value, double normalised)
    {
        var definition = Definition(indicator.Feature);
        string label = definition?.Label ?? indicator.Feature;
        string unit = definition?.Unit ?? "";
        string comparison = indicator.Method == Indicator.Z
            ? $"{(value >= indicator.Center ? "above" : "below")} the typical {Format(indicator.Center)}"
            : $"{normalised:P0} of the way to the best";
        return $"{label}: {Format(value)} {unit} ({comparison})".Replace("  ", " ", StringComparison.Ordinal);
    }

    private static FeatureDefinition? Definition(string feature) => FeatureSet.IndexOf(feature) is int i and >= 0 ? FeatureSet.Features[i] : null;

    private static string? Quote(string feature, StudentFeatures features) =>
        Definition(feature)?.Source == FeatureSource.Linguistic && features.Exemplars.TryGetValue(feature, out var sentence) ? Snippet(sentence) : null;

    /// <summary>A short quote: whole sentences are kept up to 160 characters, longer ones cut at a word.</summary>
    private static string Snippet(string sentence)
    {
        const int Limit = 160;
        if (sentence.Length <= Limit)
        {
            return sentence;
        }

        int cut = sentence.LastIndexOf(' ', Limit - 1);
        return sentence[..(cut > 40 ? cut : Limit)] + "…";
    }

    private static string Format(double value) => Math.Abs(value) >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.##", CultureInfo.InvariantCulture);

    private static double Round(double value) => Math.Round(value, 4);
}
