using System.Buffers;
using Skillscope.Scoring.Monitoring;

namespace Skillscope.Scoring.Serving;

/// <summary>
/// What the scorer hands back for each row: the row's item and values, its outputs, and (when asked) what each
/// tree added and the features that moved it most.
/// </summary>
public delegate void ScoredRow<TItem>(LoadedModel model, TItem item, float[] values, ReadOnlySpan<float> outputs, ReadOnlySpan<float> treeOutputs, IReadOnlyList<FeatureContribution> top);

/// <summary>
/// Prepared rows grouped by the version that scores them (a pinned version, an alias, a split's share),
/// each group packed into one matrix and scored as one batch: the generic predict endpoint and skill
/// inference both score this way.
/// </summary>
/// <typeparam name="TItem">What the caller needs to place a row's outputs (its index in the request, …).</typeparam>
public sealed class BatchScorer<TItem>
{
    private readonly Dictionary<LoadedModel, List<(TItem Item, float[] Values)>> _groups = [];

    /// <summary>The versions that have rows to score, in the order their first row came.</summary>
    public IEnumerable<LoadedModel> Models => _groups.Keys;

    public bool IsEmpty => _groups.Count == 0;

    /// <summary>Adds a row (schema order, NaN for missing) for <paramref name="model"/> to score.</summary>
    public void Add(LoadedModel model, TItem item, float[] values)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!_groups.TryGetValue(model, out var rows))
        {
            _groups[model] = rows = [];
        }

        rows.Add((item, values));
    }

    /// <summary>
    /// Scores every group as one batch and hands each row back through <paramref name="scored"/>, after
    /// <paramref name="batch"/> hears each group's version and size. With <paramref name="treeOutputs"/>,
    /// each row also gets what every tree added to its margin (from the same walk of the trees); with
    /// <paramref name="topContributions"/> above 0, that many of the features that moved it most (TreeSHAP,
    /// the group's rows explained together), in the output group of the row's largest score or, with
    /// <paramref name="firstOutput"/>, of its first output (a skill's score is its model's first output).
    /// </summary>
    public void Score(ScoredRow<TItem> scored, Action<LoadedModel, int>? batch = null, bool treeOutputs = false, int topContributions = 0, bool firstOutput = false)
    {
        ArgumentNullException.ThrowIfNull(scored);
        foreach (var (model, rows) in _groups)
        {
            var scorer = model.Scorer;
            int features = scorer.FeatureCount, width = scorer.OutputWidth, trees = treeOutputs ? scorer.TreeCount : 0;
            var matrix = new float[rows.Count * features];
            for (int r = 0; r < rows.Count; r++)
            {
                rows[r].Values.CopyTo(matrix, r * features);
            }

            var outputs = new float[rows.Count * width];

            // Rented: a nightly chunk's tree outputs would land on the large-object heap for every skill.
            float[] perTree = ArrayPool<float>.Shared.Rent(rows.Count * trees);
            try
            {
                long started = System.Diagnostics.Stopwatch.GetTimestamp();
                try
                {
                    scorer.ScoreBatch(matrix, outputs, perTree.AsSpan(0, rows.Count * trees));
                }
                catch
                {
                    // Counted against the version (its error rate guards a canary), then the caller's to handle.
                    model.Usage?.Record(model.Name, model.Version, rows.Count, failed: true, 0);
                    throw;
                }

                long elapsed = System.Diagnostics.Stopwatch.GetTimestamp() - started;
                model.Usage?.Record(model.Name, model.Version, rows.Count, failed: false, elapsed);
                model.Profile?.Record(matrix, outputs, rows.Count, width);

                // The batch's own arrays: nothing writes to them after this, so the shadow reads them later without a copy.
                model.Shadows?.Offer(model, matrix, outputs, rows.Count, width, elapsed);
                batch?.Invoke(model, rows.Count);
                var tops = topContributions <= 0 ? null
                    : scorer.TopContributions(matrix, firstOutput ? FirstColumn(outputs, width) : outputs, rows.Count, topContributions);
                for (int r = 0; r < rows.Count; r++)
                {
                    scored(model, rows[r].Item, rows[r].Values, outputs.AsSpan(r * width, width), perTree.AsSpan(r * trees, trees), tops?[r] ?? []);
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(perTree);
            }
        }
    }

    private static float[] FirstColumn(float[] outputs, int width)
    {
        var first = new float[outputs.Length / width];
        for (int r = 0; r < first.Length; r++)
        {
            first[r] = outputs[r * width];
        }

        return first;
    }
}
