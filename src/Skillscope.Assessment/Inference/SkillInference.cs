using System.Buffers;
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

            var batches = new Dictionary<LoadedModel, List<(int Item, PreparedRow Row)>>();
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

                if (!batches.TryGetValue(model, out var batch))
                {
                    batches[model] = batch = [];
                }

                batch.Add((i, row));
            }

            foreach (var (model, batch) in batches)
            {
                Score(skill, model, batch, results, evidence);
            }
        }

        return (results, errors);
    }

    private void Score(string skill, LoadedModel model, List<(int Item, PreparedRow Row)> batch, List<SkillResult>[] results, int evidence)
    {
        int width = model.Scorer.FeatureCount;
        var matrix = new float[batch.Count * width];
        for (int r = 0; r < batch.Count; r++)
        {
            batch[r].Row.Values.CopyTo(matrix, r * width);
        }

        var scores = new float[batch.Count * model.Scorer.OutputWidth];
        int trees = model.Scorer.TreeCount;
        // Rented: a nightly chunk's tree outputs would land on the large-object heap for every skill.
        float[] treeOutputs = ArrayPool<float>.Shared.Rent(batch.Count * trees);
        model.Scorer.ScoreBatch(matrix, scores, treeOutputs.AsSpan(0, batch.Count * trees));
        for (int r = 0; r < batch.Count; r++)
        {
            var (item, row) = batch[r];
            float score = scores[r * model.Scorer.OutputWidth];
            double confidence = SkillConfidence.Compute(score, treeOutputs.AsSpan(r * trees, trees), row.Coverage, _weights);
            var top = evidence > 0 ? model.Scorer.TopContributions(row.Values, scores.AsSpan(r, 1), evidence) : [];
            var items = top.Select(c => new EvidenceFeature(c.Feature, Label(c.Feature), c.Value, c.Contribution, c.Contribution >= 0 ? "raises" : "lowers")).ToList();
            results[item].Add(new SkillResult(skill, score, Math.Round(confidence, 4), Math.Round(row.Coverage, 4), model.Id, model.Version,
                model.Package.ModelSha256, items, row.Warnings.Count > 0 ? row.Warnings : null));
        }

        ArrayPool<float>.Shared.Return(treeOutputs);
    }

    private static string Label(string feature) => FeatureSet.IndexOf(feature) is int i and >= 0 ? FeatureSet.Features[i].Label : feature;
}
