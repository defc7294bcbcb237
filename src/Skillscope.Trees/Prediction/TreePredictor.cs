using System.Buffers;
using Skillscope.Trees.Model;

namespace Skillscope.Trees.Prediction;

/// <summary>
/// Scores rows with a model over a fixed range of trees. Rows are dense float32 features in the model's
/// order, NaN meaning missing. Thread-safe; a single-row call allocates nothing.
/// </summary>
/// <remarks>
/// Results equal XGBoost's: each row's margin starts at the base margin and adds the trees' leaf values
/// one by one in tree order, in float32, whatever the kernel or thread count.
/// </remarks>
public sealed partial class TreePredictor
{
    /// <summary>Below this many rows a batch stays on the calling thread: splitting costs more than it saves.</summary>
    private const int ParallelThresholdRows = 2048;

    private const int MinRowsPerTask = 1024;

    private const int TasksPerThread = 4;

    private readonly XgboostModel _model;
    private readonly CompleteTreeLayout? _layout;
    private readonly BitVectorLayout? _bitVector;

    // Built on the first batch explained: scoring alone never pays for the tables.
    private readonly Lazy<BitVectorShapLayout?> _shapBlocks;
    private readonly float[] _baseMargins;
    private readonly int _treeEnd;

    // The largest tree used, for the explanation buffers (found once, not per explained row).
    private readonly int _maxDepth;

    internal TreePredictor(XgboostModel model, int treeEnd)
    {
        _model = model;
        _treeEnd = treeEnd;
        for (int t = 0; t < treeEnd && model.Linear is null; t++)
        {
            _maxDepth = Math.Max(_maxDepth, model.Trees[t].Depth);
        }

        _baseMargins = [.. model.BaseMargins];
        _layout = model.Linear is null ? new CompleteTreeLayout(model, treeEnd) : null;
        string? obstacle = null;
        _bitVector = model.Linear is null ? BitVectorLayout.TryCreate(model, treeEnd, out obstacle) : null;
        var bits = _bitVector;
        _shapBlocks = new Lazy<BitVectorShapLayout?>(() => bits is null ? null : BitVectorShapLayout.TryCreate(model, bits, treeEnd));
        BatchKernel = (model.Linear, _bitVector) switch
        {
            ({ }, _) => "linear sum (a gblinear model has no trees)",
            (null, { }) => $"bit-vector ({BitVectorLayout.BlockRows} rows per pass, {BitVectorLayout.SimdBits}-bit SIMD) for batches of {MinBitVectorRows}+ rows; complete-tree walk for fewer",
            _ => $"complete-tree walk (not bit-vector: {obstacle})",
        };
    }

    /// <summary>
    /// Which kernel scores batches and, when it is not the bit-vector kernel, why: what <c>skillscope inspect</c> shows.
    /// Every kernel gives the same outputs to the bit.
    /// </summary>
    public string BatchKernel { get; }

    /// <summary>Features per row.</summary>
    public int FeatureCount => _model.FeatureCount;

    /// <summary>Margins per row.</summary>
    public int GroupCount => _model.GroupCount;

    /// <summary>Outputs per row of <see cref="Predict(ReadOnlySpan{float}, Span{float})"/>.</summary>
    public int OutputWidth => _model.OutputWidth;

    /// <summary>Trees used, from the first.</summary>
    public int TreeCount => _treeEnd;

    /// <summary>The model this predictor scores with.</summary>
    public XgboostModel Model => _model;

    /// <summary>Writes one row's margins (one per group) to <paramref name="margins"/>.</summary>
    /// <exception cref="TreeModelException">The row does not have <see cref="FeatureCount"/> features.</exception>
    public void PredictMargin(ReadOnlySpan<float> row, Span<float> margins)
    {
        CheckRow(row.Length);
        CheckOutput(margins.Length, GroupCount);
        MarginOfRow(row, margins);
    }

    /// <summary>Writes one row's transformed outputs (probabilities, class index, …) to <paramref name="output"/>.</summary>
    /// <exception cref="TreeModelException">The row does not have <see cref="FeatureCount"/> features.</exception>
    public void Predict(ReadOnlySpan<float> row, Span<float> output)
    {
        CheckRow(row.Length);
        CheckOutput(output.Length, OutputWidth);
        if (OutputWidth == GroupCount)
        {
            MarginOfRow(row, output);
            OutputTransformer.TransformRow(_model.Objective.Transform, output[..GroupCount], output);
            return;
        }

        // Arg-max needs all margins but outputs one value.
        float[]? rented = null;
        Span<float> margins = GroupCount <= 256 ? stackalloc float[GroupCount] : (rented = ArrayPool<float>.Shared.Rent(GroupCount)).AsSpan(0, GroupCount);
        MarginOfRow(row, margins);
        OutputTransformer.TransformRow(_model.Objective.Transform, margins, output);
        if (rented is not null)
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Scores a dense row-major matrix (<paramref name="rows"/>.Length = rows × <see cref="FeatureCount"/>),
    /// writing <see cref="GroupCount"/> margins per row.
    /// </summary>
    /// <param name="rows">The feature matrix.</param>
    /// <param name="margins">Receives rows × <see cref="GroupCount"/> margins.</param>
    /// <param name="maxThreads">Threads to use; 0 means all cores.</param>
    /// <exception cref="TreeModelException">The matrix length is not a multiple of <see cref="FeatureCount"/>.</exception>
    public void PredictMarginBatch(ReadOnlySpan<float> rows, Span<float> margins, int maxThreads = 0)
    {
        int rowCount = CheckMatrix(rows.Length);
        CheckOutput(margins.Length, rowCount * GroupCount);
        MarginsOfRows(rows, margins[..(rowCount * GroupCount)], rowCount, maxThreads);
    }

    /// <summary>Scores a dense row-major matrix, writing <see cref="OutputWidth"/> transformed outputs per row.</summary>
    /// <param name="rows">The feature matrix.</param>
    /// <param name="output">Receives rows × <see cref="OutputWidth"/> outputs.</param>
    /// <param name="maxThreads">Threads to use; 0 means all cores.</param>
    /// <exception cref="TreeModelException">The matrix length is not a multiple of <see cref="FeatureCount"/>.</exception>
    public void PredictBatch(ReadOnlySpan<float> rows, Span<float> output, int maxThreads = 0)
    {
        int rowCount = CheckMatrix(rows.Length);
        CheckOutput(output.Length, rowCount * OutputWidth);
        int groups = GroupCount;
        var transform = _model.Objective.Transform;
        if (OutputWidth == groups)
        {
            var margins = output[..(rowCount * groups)];
            MarginsOfRows(rows, margins, rowCount, maxThreads);
            if (transform != OutputTransform.Identity)
            {
                for (int r = 0; r < rowCount; r++)
                {
                    var rowMargins = margins.Slice(r * groups, groups);
                    OutputTransformer.TransformRow(transform, rowMargins, rowMargins);
                }
            }

            return;
        }

        float[] buffer = ArrayPool<float>.Shared.Rent(rowCount * groups);
        try
        {
            var margins = buffer.AsSpan(0, rowCount * groups);
            MarginsOfRows(rows, margins, rowCount, maxThreads);
            for (int r = 0; r < rowCount; r++)
            {
                OutputTransformer.TransformRow(transform, margins.Slice(r * groups, groups), output.Slice(r * OutputWidth, OutputWidth));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Writes, for each row and each tree used, the id of the leaf reached (XGBoost's node id, as
    /// <c>pred_leaf</c> returns it).
    /// </summary>
    /// <exception cref="TreeModelException">The model is linear (it has no leaves) or the matrix has the wrong width.</exception>
    public void PredictLeaves(ReadOnlySpan<float> rows, Span<int> leaves)
    {
        if (_model.Linear is not null)
        {
            throw new TreeModelException("a gblinear model has no leaves to report");
        }

        int rowCount = CheckMatrix(rows.Length);
        CheckOutput(leaves.Length, rowCount * _treeEnd);
        bool invalidDefault = _model.InvalidCategoryGoesDefault;
        for (int r = 0; r < rowCount; r++)
        {
            var row = rows.Slice(r * FeatureCount, FeatureCount);
            for (int t = 0; t < _treeEnd; t++)
            {
                leaves[(r * _treeEnd) + t] = ExactTreeWalker.FindLeaf(_model.Trees[t], row, invalidDefault);
            }
        }
    }

    /// <summary>
    /// What each tree adds to one row's margin (its leaf value times its dart weight), trees in order;
    /// with the base margin they sum to <see cref="PredictMargin"/> per output group. Lets callers see
    /// how far the trees agree with each other.
    /// </summary>
    /// <param name="row">One row of <see cref="FeatureCount"/> values.</param>
    /// <param name="outputs">Receives <see cref="TreeCount"/> values.</param>
    /// <exception cref="TreeModelException">The model is linear (it has no trees) or the row has the wrong width.</exception>
    public void PredictTreeOutputs(ReadOnlySpan<float> row, Span<float> outputs)
    {
        if (_model.Linear is not null)
        {
            throw new TreeModelException("a gblinear model has no trees");
        }

        CheckRow(row.Length);
        CheckOutput(outputs.Length, _treeEnd);
        TreeOutputsOfRow(row, outputs[.._treeEnd]);
    }

    /// <summary>
    /// Scores a dense row-major matrix as <see cref="PredictBatch"/> does and also writes what each tree added
    /// to each row (<see cref="TreeCount"/> values per row, as <see cref="PredictTreeOutputs"/>), from one walk
    /// of the trees. The outputs equal <see cref="PredictBatch"/>'s: each margin is the base margin plus its
    /// trees' values added in tree order.
    /// </summary>
    /// <param name="rows">The feature matrix.</param>
    /// <param name="output">Receives rows × <see cref="OutputWidth"/> outputs.</param>
    /// <param name="treeOutputs">Receives rows × <see cref="TreeCount"/> values.</param>
    /// <exception cref="TreeModelException">The model is linear (it has no trees) or the matrix has the wrong width.</exception>
    public void PredictBatchWithTreeOutputs(ReadOnlySpan<float> rows, Span<float> output, Span<float> treeOutputs)
    {
        if (_model.Linear is not null)
        {
            throw new TreeModelException("a gblinear model has no trees");
        }

        int rowCount = CheckMatrix(rows.Length);
        CheckOutput(output.Length, rowCount * OutputWidth);
        CheckOutput(treeOutputs.Length, rowCount * _treeEnd);
        WalkRowRange(rows, treeOutputs, 0, rowCount, perTree: true);
        int groups = GroupCount;
        var groupOfTree = _model.TreeGroups;
        Span<float> margins = groups <= 256 ? stackalloc float[groups] : new float[groups];
        for (int r = 0; r < rowCount; r++)
        {
            _baseMargins.CopyTo(margins);
            var rowOutputs = treeOutputs.Slice(r * _treeEnd, _treeEnd);
            for (int t = 0; t < rowOutputs.Length; t++)
            {
                margins[groupOfTree[t]] += rowOutputs[t];
            }

            OutputTransformer.TransformRow(_model.Objective.Transform, margins, output.Slice(r * OutputWidth, OutputWidth));
        }
    }

    /// <summary>The output group (class) each tree adds to, trees in order.</summary>
    public int TreeGroup(int tree) => _model.TreeGroups[tree];

    private void CheckRow(int length)
    {
        if (length != FeatureCount)
        {
            throw new TreeModelException($"feature-count mismatch: the model expects {FeatureCount} features, the row has {length}");
        }
    }

    private int CheckMatrix(int length)
    {
        if (length % FeatureCount != 0)
        {
            throw new TreeModelException($"feature-count mismatch: {length} values are not a whole number of {FeatureCount}-feature rows");
        }

        return length / FeatureCount;
    }

    private static void CheckOutput(int length, int needed)
    {
        if (length < needed)
        {
            throw new ArgumentException($"the output span holds {length} values; {needed} are needed");
        }
    }
}
