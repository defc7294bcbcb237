using System.Buffers;
using Skillscope.Trees.Explanation;

namespace Skillscope.Trees.Prediction;

public sealed partial class TreePredictor
{
    /// <summary>Values per row of <see cref="PredictContributions"/>: (features + bias) per group.</summary>
    public int ContributionWidth => GroupCount * (FeatureCount + 1);

    /// <summary>
    /// Writes each row's per-feature contributions to its margin, as XGBoost's <c>pred_contribs</c>:
    /// for each group, one value per feature and then the bias; per group they sum to the margin.
    /// </summary>
    /// <param name="rows">The feature matrix (rows × <see cref="FeatureCount"/>).</param>
    /// <param name="contributions">Receives rows × <see cref="ContributionWidth"/> values.</param>
    /// <exception cref="TreeModelException">The matrix has the wrong width.</exception>
    public void PredictContributions(ReadOnlySpan<float> rows, Span<float> contributions)
    {
        int rowCount = CheckMatrix(rows.Length);
        int width = ContributionWidth;
        CheckOutput(contributions.Length, rowCount * width);
        contributions[..(rowCount * width)].Clear();
        int columns = FeatureCount + 1;
        if (_model.Linear is { } linear)
        {
            for (int r = 0; r < rowCount; r++)
            {
                var row = rows.Slice(r * FeatureCount, FeatureCount);
                for (int g = 0; g < GroupCount; g++)
                {
                    var phi = contributions.Slice((r * width) + (g * columns), columns);
                    for (int f = 0; f < FeatureCount; f++)
                    {
                        phi[f] = float.IsNaN(row[f]) ? 0 : row[f] * linear.Weight(f, g);
                    }

                    phi[FeatureCount] = linear.Bias(g) + _baseMargins[g];
                }
            }

            return;
        }

        var means = _model.NodeMeanValues;
        var pathBuffer = ArrayPool<TreeShap.PathElement>.Shared.Rent(TreeShap.PathBufferSize(_maxDepth));
        var treeContribution = ArrayPool<float>.Shared.Rent(columns);
        try
        {
            bool invalidDefault = _model.InvalidCategoryGoesDefault;
            for (int r = 0; r < rowCount; r++)
            {
                var row = rows.Slice(r * FeatureCount, FeatureCount);
                for (int g = 0; g < GroupCount; g++)
                {
                    var phi = contributions.Slice((r * width) + (g * columns), columns);
                    for (int t = 0; t < _treeEnd; t++)
                    {
                        if (_model.TreeGroups[t] != g)
                        {
                            continue;
                        }

                        // As XGBoost: each tree into a zeroed buffer, then added with the tree's weight.
                        var single = treeContribution.AsSpan(0, columns);
                        single.Clear();
                        TreeShap.AddTreeContributions(_model.Trees[t], means[t], row, single, pathBuffer, invalidDefault);
                        float weight = _model.TreeWeights[t];
                        for (int c = 0; c < columns; c++)
                        {
                            phi[c] += single[c] * weight;
                        }
                    }

                    phi[FeatureCount] += _baseMargins[g];
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(treeContribution);
            ArrayPool<TreeShap.PathElement>.Shared.Return(pathBuffer);
        }
    }

    /// <summary>
    /// One row's contributions as <see cref="PredictContributions"/> gives them, computed from tables
    /// prepared once per tree (many times faster; equal up to float rounding, ~1e-6 relative). For
    /// ranking evidence; XGBoost-exact output comes from <see cref="PredictContributions"/>.
    /// </summary>
    /// <param name="row">One row of <see cref="FeatureCount"/> values.</param>
    /// <param name="contributions">Receives <see cref="ContributionWidth"/> values.</param>
    public void PredictRowContributions(ReadOnlySpan<float> row, Span<float> contributions)
    {
        if (_model.Linear is not null)
        {
            PredictContributions(row, contributions);
            return;
        }

        CheckMatrix(row.Length);
        CheckOutput(contributions.Length, ContributionWidth);
        int width = ContributionWidth, columns = FeatureCount + 1;
        contributions[..width].Clear();
        var tables = _model.ShapTables;
        var means = _model.NodeMeanValues;
        bool invalidDefault = _model.InvalidCategoryGoesDefault;
        var pending = ArrayPool<int>.Shared.Rent(2 * (_maxDepth + 1));
        var pathBuffer = ArrayPool<TreeShap.PathElement>.Shared.Rent(TreeShap.PathBufferSize(_maxDepth));
        var single = ArrayPool<float>.Shared.Rent(columns);
        try
        {
            for (int t = 0; t < _treeEnd; t++)
            {
                int g = _model.TreeGroups[t];
                var phi = contributions.Slice(g * columns, columns);
                float weight = _model.TreeWeights[t];
                if (tables[t] is { } table)
                {
                    table.Add(row, phi, weight, invalidDefault, pending);
                    phi[FeatureCount] += means[t][0] * weight;
                    continue;
                }

                var exact = single.AsSpan(0, columns);
                exact.Clear();
                TreeShap.AddTreeContributions(_model.Trees[t], means[t], row, exact, pathBuffer, invalidDefault);
                for (int c = 0; c < columns; c++)
                {
                    phi[c] += exact[c] * weight;
                }
            }

            for (int g = 0; g < GroupCount; g++)
            {
                contributions[(g * columns) + FeatureCount] += _baseMargins[g];
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(single);
            ArrayPool<TreeShap.PathElement>.Shared.Return(pathBuffer);
            ArrayPool<int>.Shared.Return(pending);
        }
    }
}
