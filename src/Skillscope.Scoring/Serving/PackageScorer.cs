using System.Buffers;
using Skillscope.Scoring.Packages;
using Skillscope.Trees.Prediction;

namespace Skillscope.Scoring.Serving;

/// <summary>
/// Scores prepared rows through a package: scaler, trees (up to <c>best_iteration</c> when the model
/// was saved after early stopping), calibrator. Thread-safe; the predictor is shared.
/// </summary>
public sealed class PackageScorer
{
    private readonly ModelPackage _package;
    private readonly TreePredictor _predictor;

    public PackageScorer(ModelPackage package)
    {
        _package = package ?? throw new ArgumentNullException(nameof(package));
        _predictor = package.Model.Predictor;
    }

    /// <summary>Values per row: 1, or the class count for <c>multi:softprob</c>.</summary>
    public int OutputWidth => _predictor.OutputWidth;

    public int FeatureCount => _predictor.FeatureCount;

    /// <summary>Scores one row (schema order, NaN for missing); the row is left unchanged.</summary>
    public float[] Score(ReadOnlySpan<float> row)
    {
        var output = new float[OutputWidth];
        ScoreBatch(row, output);
        return output;
    }

    /// <summary>Trees used per row.</summary>
    public int TreeCount => _predictor.TreeCount;

    /// <summary>Scores rows × features values into rows × <see cref="OutputWidth"/> outputs.</summary>
    public void ScoreBatch(ReadOnlySpan<float> rows, Span<float> output) => ScoreBatch(rows, output, []);

    /// <summary>
    /// Scores rows × features values into rows × <see cref="OutputWidth"/> outputs and, unless
    /// <paramref name="treeOutputs"/> is empty, writes what each tree added to each row's margin (after the
    /// scaler; rows × <see cref="TreeCount"/>, trees in order) from the same walk of the trees.
    /// </summary>
    public void ScoreBatch(ReadOnlySpan<float> rows, Span<float> output, Span<float> treeOutputs)
    {
        if (_package.Scaler is { } scaler)
        {
            var scaled = rows.ToArray();
            scaler.Transform(scaled);
            rows = scaled;
        }

        if (treeOutputs.IsEmpty)
        {
            _predictor.PredictBatch(rows, output);
        }
        else
        {
            _predictor.PredictBatchWithTreeOutputs(rows, output, treeOutputs);
        }

        if (_package.Calibration is { } calibration)
        {
            for (int i = 0; i < output.Length; i++)
            {
                output[i] = (float)calibration.Apply(output[i]);
            }
        }
    }

    /// <summary>
    /// The <paramref name="count"/> features that moved this row's margin most (TreeSHAP, largest
    /// absolute value first), for the output group of the largest score.
    /// </summary>
    public IReadOnlyList<FeatureContribution> TopContributions(ReadOnlySpan<float> row, ReadOnlySpan<float> scores, int count)
    {
        var input = row.ToArray();
        _package.Scaler?.Transform(input);
        var contributions = new float[_predictor.ContributionWidth];

        // Tabulated TreeSHAP: equal to XGBoost's pred_contribs up to float rounding, several times faster.
        _predictor.PredictRowContributions(input, contributions);
        return Top(row, contributions, scores, count);
    }

    /// <summary>
    /// <see cref="TopContributions(ReadOnlySpan{float}, ReadOnlySpan{float}, int)"/> for every row of a batch
    /// (rows × features values, the same number of scores per row), explained together: with the bit-vector
    /// kernel, 64 rows share each tree's work. With one score per row the first output group is explained.
    /// </summary>
    public IReadOnlyList<FeatureContribution>[] TopContributions(ReadOnlySpan<float> rows, ReadOnlySpan<float> scores, int rowCount, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowCount);
        int features = FeatureCount, width = _predictor.ContributionWidth;
        var input = rows[..(rowCount * features)].ToArray();
        _package.Scaler?.Transform(input);
        float[] contributions = ArrayPool<float>.Shared.Rent(rowCount * width);
        try
        {
            _predictor.PredictRowsContributions(input, contributions.AsSpan(0, rowCount * width));
            var tops = new IReadOnlyList<FeatureContribution>[rowCount];
            int scoreWidth = scores.Length / rowCount;
            for (int r = 0; r < rowCount; r++)
            {
                tops[r] = Top(rows.Slice(r * features, features), contributions.AsSpan(r * width, width), scores.Slice(r * scoreWidth, scoreWidth), count);
            }

            return tops;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(contributions);
        }
    }

    /// <summary>The row's largest contributions in the group of its largest score; values are the row as given, before the scaler.</summary>
    private FeatureContribution[] Top(ReadOnlySpan<float> row, ReadOnlySpan<float> contributions, ReadOnlySpan<float> scores, int count)
    {
        int group = 0;
        if (_predictor.GroupCount > 1 && scores.Length == _predictor.GroupCount)
        {
            for (int g = 1; g < scores.Length; g++)
            {
                group = scores[g] > scores[group] ? g : group;
            }
        }

        int features = _predictor.FeatureCount;
        var phi = contributions.Slice(group * (features + 1), features).ToArray();
        var order = Enumerable.Range(0, features).Where(f => phi[f] != 0).ToArray();
        var magnitudes = order.Select(f => -Math.Abs(phi[f])).ToArray();

        // Stable for equal magnitudes: lower feature index first.
        Array.Sort(magnitudes, order);
        var top = new FeatureContribution[Math.Min(count, order.Length)];
        for (int i = 0; i < top.Length; i++)
        {
            int f = order[i];
            top[i] = new FeatureContribution(_package.Schema.Features[f].Name, float.IsNaN(row[f]) ? null : row[f], phi[f]);
        }

        return top;
    }
}
