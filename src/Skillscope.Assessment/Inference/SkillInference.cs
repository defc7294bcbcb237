using System.Text.Json;
using Skillscope.Assessment.Features;
using Skillscope.Assessment.Skills;
using Skillscope.Scoring.Serving;

namespace Skillscope.Assessment.Inference;

/// <summary>
/// Scores features against every skill's served model (<c>skill_{skill}</c>): rows of one model are
/// scored as one batch; each result gets its confidence and its top evidence features (this
/// prediction's TreeSHAP contributions, labelled from feature set 1).
/// </summary>
public sealed class SkillInference(SkillCatalog catalog, ConfidenceWeights? weights = null)
{
    private readonly ConfidenceWeights _weights = weights ?? ConfidenceWeights.Default;

    public SkillCatalog Catalog => catalog;

    /// <summary>Model name of a skill in the registry.</summary>
    public static string ModelName(string skill) => $"skill_{skill}";

    /// <summary>
    /// Infers <paramref name="skills"/> (all when null) for each item's features (a JSON object keyed
    /// by feature name); item <c>i</c> gets <c>results[i]</c> and <c>errors[i]</c>.
    /// </summary>
    public (List<SkillResult>[] Results, List<SkillError>[] Errors) Infer(
        ModelCatalog models, IReadOnlyList<JsonElement> features, IReadOnlyList<string?> studentIds, IReadOnlyList<string>? skills, int evidence = 5)
    {
        ArgumentNullException.ThrowIfNull(features);
        return Infer(models, features.Count, (i, preparer) => preparer.Prepare(features[i]), studentIds, skills, evidence);
    }

    /// <summary>Infers from extracted feature vectors (feature set order, NaN = missing).</summary>
    public (List<SkillResult>[] Results, List<SkillError>[] Errors) Infer(
        ModelCatalog models, IReadOnlyList<StudentFeatures> features, IReadOnlyList<string?> studentIds, IReadOnlyList<string>? skills, int evidence = 5)
    {
        ArgumentNullException.ThrowIfNull(features);
        return Infer(models, features.Count, (i, preparer) => preparer.Prepare(FeatureSet.Names, features[i].Values), studentIds, skills, evidence);
    }

    private (List<SkillResult>[] Results, List<SkillError>[] Errors) Infer(
        ModelCatalog models, int itemCount, Func<int, RowPreparer, PreparedRow> prepare, IReadOnlyList<string?> studentIds, IReadOnlyList<string>? skills, int evidence)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(studentIds);
        var results = new List<SkillResult>[itemCount];
        var errors = new List<SkillError>[itemCount];

        // The skill models usually share one schema: prepare each item's row once per schema, not once per skill.
        var prepared = new Dictionary<string, PreparedRow>?[itemCount];
        for (int i = 0; i < itemCount; i++)
        {
            results[i] = [];
            errors[i] = [];
        }

        foreach (string skill in skills ?? catalog.Skills)
        {
            if (!models.Models.TryGetValue(ModelName(skill), out var served))
            {
                for (int i = 0; i < itemCount; i++)
                {
                    errors[i].Add(new SkillError(skill, "model_not_loaded", $"no model is served for {skill} (expected {ModelName(skill)})"));
                }

                continue;
            }

            var batches = new BatchScorer<(int Item, PreparedRow Row)>();
            for (int i = 0; i < itemCount; i++)
            {
                var model = served.Resolve(null, null, studentIds[i]);
                if (model is null)
                {
                    errors[i].Add(new SkillError(skill, "model_not_loaded", $"{ModelName(skill)} has no loaded production version"));
                    continue;
                }

                var rows = prepared[i] ??= new Dictionary<string, PreparedRow>(StringComparer.Ordinal);
                if (!rows.TryGetValue(model.Package.SchemaSha256, out var row))
                {
                    rows[model.Package.SchemaSha256] = row = prepare(i, model.Preparer);
                }

                if (row.Error is { } problem)
                {
                    errors[i].Add(new SkillError(skill, problem.Code, problem.Message));
                    continue;
                }

                if (row.Coverage == 0)
                {
                    // No evidence at all: say so rather than invent a score from the trees' defaults.
                    errors[i].Add(new SkillError(skill, "no_evidence", "coverage 0: none of the features is present, so there is nothing to assess"));
                    continue;
                }

                batches.Add(model, (i, row), row.Values);
            }

            batches.Score((model, at, values, outputs, treeOutputs, top) =>
            {
                var (item, row) = at;
                float score = outputs[0];
                double confidence = SkillConfidence.Compute(score, treeOutputs, row.Coverage, _weights);
                var items = top.Select(c => new EvidenceFeature(c.Feature, Label(c.Feature), c.Value, c.Contribution, c.Contribution >= 0 ? "raises" : "lowers")).ToList();
                results[item].Add(new SkillResult(skill, score, Math.Round(confidence, 4), Math.Round(row.Coverage, 4), model.Id, model.Version,
                    model.Package.ModelSha256, items, row.Warnings.Count > 0 ? row.Warnings : null));
            }, treeOutputs: true, topContributions: evidence, firstOutput: true);
        }

        return (results, errors);
    }

    private static string Label(string feature) => FeatureSet.IndexOf(feature) is int i and >= 0 ? FeatureSet.Features[i].Label : feature;
}
