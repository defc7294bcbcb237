using System.Collections.Frozen;
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

    /// <summary>Within this many of the reference's standard deviations of its median, a value reads as "about the same as most students".</summary>
    private const double AboutTypical = 0.25;

    public static SkillAssessment Fuse(SkillResult result, StudentFeatures features, SkillWeights weights, SkillIndicators? indicators, int evidenceItems = DefaultEvidenceItems)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(weights);
        double ml = result.Score;
        var linguistic = Indicate(indicators?.Linguistic, features);
        var behavioral = Indicate(indicators?.Behavioral, features);
        double adjustment = 0.5 + ((ml - 0.5) * result.Confidence);

        var (fused, wMl, wLing, wBeh, wConf) = weights.Combine(ml, linguistic.Score, behavioral.Score, adjustment);

        // Each feature once: the model's reason and an indicator on the same feature are one observation,
        // their effects added (so a teacher never reads the same thing twice, or twice with opposite signs).
        var effects = new Dictionary<string, (string Source, double Signed, float? Value)>(StringComparer.Ordinal);
        var order = new List<string>();
        double absoluteSum = 0;
        foreach (var feature in result.Evidence)
        {
            absoluteSum += Math.Abs(feature.Contribution);
        }

        foreach (var feature in result.Evidence)
        {
            double share = absoluteSum > 0 ? Math.Abs(feature.Contribution) / absoluteSum : 0;
            double signed = wMl * Math.Abs(ml - 0.5) * share * (feature.Direction == "lowers" ? -1 : 1);
            AddEffect(effects, order, feature.Feature, "ml", signed, feature.Value);
        }

        AddIndicatorEffects(effects, order, "linguistic", linguistic.Parts, wLing);
        AddIndicatorEffects(effects, order, "behavioral", behavioral.Parts, wBeh);

        // Ranked by weight first: only the items kept are worded.
        var ranked = new List<(string Feature, double Weight)>(order.Count);
        foreach (string feature in order)
        {
            ranked.Add((feature, Math.Round(Math.Abs(effects[feature].Signed), 4)));
        }

        ranked.Sort((a, b) => b.Weight.CompareTo(a.Weight));
        var items = new List<EvidenceItem>(Math.Min(ranked.Count, evidenceItems));
        for (int i = 0; i < ranked.Count && i < evidenceItems; i++)
        {
            var (source, signed, value) = effects[ranked[i].Feature];
            items.Add(Item(ranked[i].Feature, source, signed, value, indicators, features));
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

    private static void AddIndicatorEffects(Dictionary<string, (string Source, double Signed, float? Value)> effects, List<string> order, string source,
        List<(Indicator Indicator, float Value, double Normalised)> parts, double weight)
    {
        foreach (var (indicator, value, normalised) in parts)
        {
            AddEffect(effects, order, indicator.Feature, source, weight * (normalised - 0.5) / parts.Count, value);
        }
    }

    private static void AddEffect(Dictionary<string, (string Source, double Signed, float? Value)> effects, List<string> order, string feature, string source, double signed,
        float? value)
    {
        if (effects.TryGetValue(feature, out var earlier))
        {
            // The indicator's source names where the evidence came from; the model's is the same feature.
            effects[feature] = (source == "ml" ? earlier.Source : source, earlier.Signed + signed, earlier.Value ?? value);
        }
        else
        {
            effects[feature] = (source, signed, value);
            order.Add(feature);
        }
    }

    private static EvidenceItem Item(string feature, string source, double signed, float? value, SkillIndicators? indicators, StudentFeatures features)
    {
        var definition = Definition(feature);
        var own = indicators is null ? null : IndicatorIn(feature, indicators);
        var indicator = own ?? TypicalOf.GetValueOrDefault(feature);
        string direction = signed >= 0 ? "raises" : "lowers";

        // A feature's sentence shows its marker. It supports "raises" when the marker speaks for the skill,
        // and "lowers" when it speaks against it (negative feelings for self-regulation), and only when the
        // marker is not rarer than usual (a sentence would contradict "less often than most students").
        // Otherwise no quote is shown. Which way a marker speaks is this skill's indicator's sign; a marker
        // the skill has no indicator for speaks for it unless it is a negative feeling.
        int polarity = own?.Sign ?? (feature == "negative_emotion_rate" ? -1 : 1);
        bool rare = value is { } observed && indicator is { Method: Indicator.Z } typical && (observed - typical.Center) / typical.Scale <= -AboutTypical;
        string? quote = (signed >= 0) == (polarity > 0) && !rare ? Quote(feature, features) : null;
        return new EvidenceItem(source, feature, PlainDescription(feature, definition, value, indicator), Math.Round(Math.Abs(signed), 4), value, direction, quote,
            Detail(definition, value, indicator));
    }

    /// <summary>The indicator of <paramref name="indicators"/> that reads <paramref name="feature"/>, or null.</summary>
    private static Indicator? IndicatorIn(string feature, SkillIndicators indicators) => Find(feature, indicators.Linguistic) ?? Find(feature, indicators.Behavioral);

    private static Indicator? Find(string feature, IReadOnlyList<Indicator> indicators)
    {
        foreach (var indicator in indicators)
        {
            if (indicator.Feature == feature)
            {
                return indicator;
            }
        }

        return null;
    }

    /// <summary>For each feature some skill's indicator reads, that indicator: what is typical of it (the same center and scale for every skill), found once.</summary>
    private static readonly FrozenDictionary<string, Indicator> TypicalOf = TypicalIndicators();

    private static FrozenDictionary<string, Indicator> TypicalIndicators()
    {
        var typical = new Dictionary<string, Indicator>(StringComparer.Ordinal);
        foreach (var set in FusionIndicators.Default.Values)
        {
            foreach (var indicator in set.Linguistic)
            {
                typical.TryAdd(indicator.Feature, indicator);
            }

            foreach (var indicator in set.Behavioral)
            {
                typical.TryAdd(indicator.Feature, indicator);
            }
        }

        return typical.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private const string NoEvidenceYet = "no evidence yet";
    private const string AboutMost = "about the same as most students";

    /// <summary>
    /// Whether an item says something about the student that can stand as a reason: it was observed, it is
    /// compared with most students, and not merely as most students do. (A missing value or a typical one still moves the model's score, and is listed
    /// as evidence, but "shows clearly (…: no evidence yet)" would tell a teacher nothing true.)
    /// </summary>
    public static bool Tells(EvidenceItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        // A description with no comparison after its label ("Positive feelings expressed") says only what was measured.
        return item.Value is { } value && !float.IsNaN(value) && item.Description.Contains(": ", StringComparison.Ordinal)
            && !item.Description.EndsWith(AboutMost, StringComparison.Ordinal);
    }

    /// <summary>
    /// What was observed in a teacher's words: the feature's label and how it compares with most students
    /// (the reference district's typical value), or how much of the time for a share; no units, no figures.
    /// </summary>
    private static string PlainDescription(string feature, FeatureDefinition? definition, float? value, Indicator? indicator)
    {
        string label = definition?.Label ?? feature.Replace('_', ' ');
        if (value is not { } observed || float.IsNaN(observed))
        {
            return $"{label}: {NoEvidenceYet}";
        }

        if (indicator is { Method: Indicator.MinMax })
        {
            return $"{label}: {ShareWords(observed)}";
        }

        if (indicator is { Method: Indicator.Z } typical)
        {
            double distance = (observed - typical.Center) / typical.Scale;
            var (more, less) = ComparisonWords(definition);
            return Math.Abs(distance) < AboutTypical ? $"{label}: {AboutMost}" : $"{label}: {(distance > 0 ? more : less)} than most students";
        }

        return label;
    }

    private static (string More, string Less) ComparisonWords(FeatureDefinition? definition) => definition?.Unit switch
    {
        FeatureSet.Per100 or "share of utterances" => ("more often", "less often"),
        "minutes" or "seconds" => ("longer", "shorter"),
        { } unit when unit.Contains(" per ", StringComparison.Ordinal) => ("more often", "less often"),
        _ => ("higher", "lower"),
    };

    private static string ShareWords(double share) => share switch
    {
        >= 0.9 => "nearly all of the time",
        >= 0.6 => "most of the time",
        >= 0.4 => "about half of the time",
        >= 0.1 => "some of the time",
        _ => "rarely",
    };

    /// <summary>The figures behind the words: the value in its unit, and the typical value where there is one.</summary>
    private static string? Detail(FeatureDefinition? definition, float? value, Indicator? indicator)
    {
        if (value is not { } observed || float.IsNaN(observed))
        {
            return null;
        }

        string figure = $"{Format(observed)} {definition?.Unit}".TrimEnd();
        return indicator is { Method: Indicator.Z } typical ? $"{figure} (typical {Format(typical.Center)})" : figure;
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
