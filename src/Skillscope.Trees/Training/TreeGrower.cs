using System.Collections.Concurrent;

namespace Skillscope.Trees.Training;

/// <summary>
/// Grows one regression tree level by level from gradient histograms, as XGBoost's <c>hist</c> method
/// with <c>grow_policy=depthwise</c> does.
/// </summary>
/// <remarks>
/// Gradients arrive quantised to 64-bit integers (<see cref="QuantisedGradients"/>), so histogram sums
/// are exact whatever order threads add them in: the tree depends on the data and the seed, never on
/// the thread count. Only the smaller child of each split is built from rows; its sibling is the parent
/// minus it.
/// </remarks>
internal sealed class TreeGrower
{
    // XGBoost's kRtEps: a split must reduce the loss by more than this to count.
    private const double MinimumGain = 1e-6;
    private const int RowsPerTask = 4096;

    private readonly TrainingParameters _parameters;
    private readonly BinnedMatrix _matrix;
    private readonly FeatureCuts _cuts;
    private readonly ParallelOptions _parallel;
    private readonly int[] _featureOfBin;
    private readonly ConcurrentBag<long[]> _histogramPool = [];
    private readonly int _histogramLength;

    public TreeGrower(TrainingParameters parameters, BinnedMatrix matrix, FeatureCuts cuts, ParallelOptions parallel)
    {
        _parameters = parameters;
        _matrix = matrix;
        _cuts = cuts;
        _parallel = parallel;
        _histogramLength = 2 * cuts.TotalBins;
        _featureOfBin = new int[cuts.TotalBins];
        for (int f = 0; f < matrix.FeatureCount; f++)
        {
            for (int b = cuts.Offsets[f]; b < cuts.Offsets[f + 1]; b++)
            {
                _featureOfBin[b] = f;
            }
        }
    }

    /// <summary>
    /// Grows a tree over <paramref name="rows"/> (ascending row ids). The array is reordered so that each
    /// leaf's rows are contiguous: <see cref="GrownTree.LeafRanges"/> says where.
    /// </summary>
    public GrownTree Grow(int[] rows, QuantisedGradients gradients, int[] treeFeatures, DeterministicRandom random)
    {
        long sumG = 0, sumH = 0;
        foreach (int r in rows)
        {
            sumG += gradients.Gradient[r];
            sumH += gradients.Hessian[r];
        }

        var root = new Node(null, 0, rows.Length, sumG, sumH);
        root.Histogram = RentHistogram();
        BuildHistograms([root], rows, gradients);
        var scratch = new int[rows.Length];
        var decisions = new bool[rows.Length];
        var level = new List<Node> { root };
        int leaves = 1;
        for (int depth = 0; depth < _parameters.MaxDepth && level.Count > 0; depth++)
        {
            var levelFeatures = random.SampleFraction(treeFeatures, _parameters.ColsampleByLevel);
            var nodeFeatures = new int[level.Count][];
            for (int i = 0; i < level.Count; i++)
            {
                nodeFeatures[i] = random.SampleFraction(levelFeatures, _parameters.ColsampleByNode);
            }

            FindSplits(level, nodeFeatures, gradients);

            var splitting = new List<Node>();
            foreach (var node in level)
            {
                if (!node.Split.Exists || node.Split.Gain <= MinimumGain || (_parameters.MaxLeaves > 0 && leaves >= _parameters.MaxLeaves))
                {
                    ReturnHistogram(node);
                    continue;
                }

                splitting.Add(node);
                leaves++;
            }

            var leftCounts = PartitionLevel(splitting, rows, scratch, decisions);
            var next = new List<Node>();
            var toBuild = new List<Node>();
            for (int i = 0; i < splitting.Count; i++)
            {
                var node = splitting[i];
                var split = node.Split;
                int leftCount = leftCounts[i];
                var left = new Node(node, node.Start, node.Start + leftCount, split.LeftGradient, split.LeftHessian);
                var right = new Node(node, node.Start + leftCount, node.End, node.Gradient - split.LeftGradient, node.Hessian - split.LeftHessian);
                node.Left = left;
                node.Right = right;
                next.Add(left);
                next.Add(right);
                toBuild.Add(left.Count <= right.Count ? left : right);
            }

            // Children at the last level are leaves: they need no histograms.
            if (depth + 1 < _parameters.MaxDepth && toBuild.Count > 0)
            {
                foreach (var node in toBuild)
                {
                    node.Histogram = RentHistogram();
                }

                BuildHistograms(toBuild, rows, gradients);
                foreach (var node in level)
                {
                    if (node.Left is not null)
                    {
                        DeriveSibling(node);
                    }
                }
            }

            foreach (var node in level)
            {
                ReturnHistogram(node);
            }

            level = next;
        }

        foreach (var node in level)
        {
            ReturnHistogram(node);
        }

        Prune(root);
        return Emit(root, gradients);
    }

    /// <summary>
    /// Finds every node's best split, searching (node, feature) pairs in parallel and then keeping, per node,
    /// the first strictly best feature in index order, so the choice does not depend on scheduling.
    /// </summary>
    private void FindSplits(List<Node> level, int[][] nodeFeatures, QuantisedGradients gradients)
    {
        var pairs = new List<(int Node, int Feature)>();
        for (int n = 0; n < level.Count; n++)
        {
            foreach (int f in nodeFeatures[n])
            {
                pairs.Add((n, f));
            }
        }

        var results = new SplitChoice[pairs.Count];
        Parallel.For(0, pairs.Count, _parallel, p => results[p] = BestSplitOn(level[pairs[p].Node], pairs[p].Feature, gradients));
        for (int p = 0; p < pairs.Count; p++)
        {
            var node = level[pairs[p].Node];
            if (results[p].Exists && results[p].Gain > node.Split.Gain)
            {
                node.Split = results[p];
            }
        }
    }

    private SplitChoice BestSplitOn(Node node, int f, QuantisedGradients gradients)
    {
        var best = SplitChoice.None;
        int first = _cuts.Offsets[f], end = _cuts.Offsets[f + 1];
        if (first == end)
        {
            return best;
        }

        var histogram = node.Histogram!;
        double parentG = gradients.GradientValue(node.Gradient), parentH = gradients.HessianValue(node.Hessian);
        double rootGain = Gain(parentG, parentH);

        // Missing values go right: accumulate observed bins from the left.
        long leftG = 0, leftH = 0;
        for (int b = first; b < end; b++)
        {
            leftG += histogram[2 * b];
            leftH += histogram[(2 * b) + 1];
            Consider(ref best, b - first, _cuts.Cuts[f][b - first], defaultLeft: false, leftG, leftH);
        }

        if (leftG == node.Gradient && leftH == node.Hessian)
        {
            return best;
        }

        // Missing values present: also try sending them left, accumulating observed bins from the right.
        long rightG = 0, rightH = 0;
        for (int b = end - 1; b >= first; b--)
        {
            rightG += histogram[2 * b];
            rightH += histogram[(2 * b) + 1];
            int local = b - first;
            float threshold = local == 0 ? _cuts.Minimums[f] : _cuts.Cuts[f][local - 1];
            Consider(ref best, local - 1, threshold, defaultLeft: true, node.Gradient - rightG, node.Hessian - rightH);
        }

        return best;

        void Consider(ref SplitChoice best, int bin, float threshold, bool defaultLeft, long leftG, long leftH)
        {
            double gl = gradients.GradientValue(leftG), hl = gradients.HessianValue(leftH);
            double gr = parentG - gl, hr = parentH - hl;
            if (hl < _parameters.MinChildWeight || hr < _parameters.MinChildWeight || hl <= 0 || hr <= 0)
            {
                return;
            }

            double gain = Gain(gl, hl) + Gain(gr, hr) - rootGain;
            if (gain > best.Gain)
            {
                best = new SplitChoice(gain, f, bin, threshold, defaultLeft, leftG, leftH);
            }
        }
    }

    private double Gain(double g, double h)
    {
        if (h < _parameters.MinChildWeight || h <= 0)
        {
            return 0;
        }

        double t = ThresholdL1(g);
        return t * t / (h + _parameters.Lambda);
    }

    private double Weight(double g, double h) =>
        h < _parameters.MinChildWeight || h <= 0 ? 0 : -ThresholdL1(g) / (h + _parameters.Lambda);

    private double ThresholdL1(double g) =>
        g > _parameters.Alpha ? g - _parameters.Alpha : g < -_parameters.Alpha ? g + _parameters.Alpha : 0;

    /// <summary>
    /// Splits the rows of every splitting node into left then right, each in their original order, in
    /// parallel chunks: decide and count, then place each chunk's rows at offsets from a prefix sum.
    /// </summary>
    /// <returns>The number of rows going left, per node.</returns>
    private int[] PartitionLevel(List<Node> splitting, int[] rows, int[] scratch, bool[] decisions)
    {
        var tasks = new List<(int Node, int Start, int End)>();
        for (int n = 0; n < splitting.Count; n++)
        {
            for (int start = splitting[n].Start; start < splitting[n].End; start += RowsPerTask)
            {
                tasks.Add((n, start, Math.Min(splitting[n].End, start + RowsPerTask)));
            }
        }

        var leftInTask = new int[tasks.Count];
        Parallel.For(0, tasks.Count, _parallel, t =>
        {
            var (n, start, end) = tasks[t];
            var split = splitting[n].Split;
            var column = _matrix.Columns.AsSpan().Slice((int)((long)split.Feature * _matrix.RowCount), _matrix.RowCount);
            int lefts = 0;
            for (int i = start; i < end; i++)
            {
                ushort bin = column[rows[i]];
                bool left = bin == BinnedMatrix.Missing ? split.DefaultLeft : bin <= split.Bin;
                decisions[i] = left;
                lefts += left ? 1 : 0;
            }

            leftInTask[t] = lefts;
        });

        var leftCounts = new int[splitting.Count];
        var leftBefore = new int[tasks.Count];
        var rightBefore = new int[tasks.Count];
        for (int t = 0; t < tasks.Count; t++)
        {
            var (n, start, end) = tasks[t];
            int leftSoFar = leftCounts[n];
            leftBefore[t] = leftSoFar;
            rightBefore[t] = start - splitting[n].Start - leftSoFar;
            leftCounts[n] += leftInTask[t];
        }

        Parallel.For(0, tasks.Count, _parallel, t =>
        {
            var (n, start, end) = tasks[t];
            var node = splitting[n];
            int left = node.Start + leftBefore[t];
            int right = node.Start + leftCounts[n] + rightBefore[t];
            for (int i = start; i < end; i++)
            {
                if (decisions[i])
                {
                    scratch[left++] = rows[i];
                }
                else
                {
                    scratch[right++] = rows[i];
                }
            }
        });
        Parallel.For(0, tasks.Count, _parallel, t => Array.Copy(scratch, tasks[t].Start, rows, tasks[t].Start, tasks[t].End - tasks[t].Start));
        return leftCounts;
    }

    private void BuildHistograms(List<Node> targets, int[] rows, QuantisedGradients gradients)
    {
        var tasks = new List<(Node Node, int Start, int End)>();
        foreach (var node in targets)
        {
            for (int start = node.Start; start < node.End; start += RowsPerTask)
            {
                tasks.Add((node, start, Math.Min(node.End, start + RowsPerTask)));
            }
        }

        Parallel.For(
            0,
            tasks.Count,
            _parallel,
            () => new WorkerHistogram(),
            (t, _, local) =>
            {
                var (node, start, end) = tasks[t];
                if (end - start == node.Count)
                {
                    // The only task of its node: nobody else writes this histogram.
                    Accumulate(node.Histogram!, rows, start, end, gradients);
                    return local;
                }

                if (local.Node != node)
                {
                    Flush(local);
                    local.Node = node;
                    local.Buffer ??= RentHistogram();
                }

                Accumulate(local.Buffer!, rows, start, end, gradients);
                return local;
            },
            local =>
            {
                Flush(local);
                if (local.Buffer is { } buffer)
                {
                    _histogramPool.Add(buffer);
                }
            });
    }

    /// <summary>Adds a worker's partial histogram into its node's. Integer sums: the merge order cannot change the result.</summary>
    private static void Flush(WorkerHistogram local)
    {
        if (local.Node is not { } node)
        {
            return;
        }

        var buffer = local.Buffer!;
        lock (node)
        {
            var target = node.Histogram!;
            for (int i = 0; i < target.Length; i++)
            {
                target[i] += buffer[i];
            }
        }

        Array.Clear(buffer);
        local.Node = null;
    }

    private unsafe void Accumulate(long[] histogram, int[] rows, int start, int end, QuantisedGradients gradients)
    {
        int features = _matrix.FeatureCount;
        fixed (ushort* bins = _matrix.Bins)
        fixed (int* offsets = _cuts.Offsets)
        fixed (long* hist = histogram, g = gradients.Gradient, h = gradients.Hessian)
        fixed (int* rowIds = rows)
        {
            for (int i = start; i < end; i++)
            {
                int r = rowIds[i];
                long gr = g[r], hr = h[r];
                ushort* rowBins = bins + ((long)r * features);
                for (int f = 0; f < features; f++)
                {
                    int bin = rowBins[f];
                    if (bin != BinnedMatrix.Missing)
                    {
                        long* at = hist + (2 * (offsets[f] + bin));
                        at[0] += gr;
                        at[1] += hr;
                    }
                }
            }
        }
    }

    private void DeriveSibling(Node parent)
    {
        var (built, derived) = parent.Left!.Histogram is not null ? (parent.Left, parent.Right!) : (parent.Right!, parent.Left!);
        var histogram = RentHistogram();
        var from = parent.Histogram!;
        var minus = built.Histogram!;
        for (int i = 0; i < histogram.Length; i++)
        {
            histogram[i] = from[i] - minus[i];
        }

        derived.Histogram = histogram;
    }

    private long[] RentHistogram() => _histogramPool.TryTake(out var histogram) ? histogram : new long[_histogramLength];

    private void ReturnHistogram(Node node)
    {
        if (node.Histogram is { } histogram)
        {
            Array.Clear(histogram);
            _histogramPool.Add(histogram);
            node.Histogram = null;
        }
    }

    /// <summary>
    /// XGBoost's pruner: bottom-up, a split whose children are both leaves and whose gain is below
    /// <c>gamma</c> is undone.
    /// </summary>
    private void Prune(Node node)
    {
        if (node.Left is null)
        {
            return;
        }

        Prune(node.Left);
        Prune(node.Right!);
        if (node.Left.Left is null && node.Right!.Left is null && node.Split.Gain < _parameters.Gamma)
        {
            node.Left = null;
            node.Right = null;
        }
    }

    private GrownTree Emit(Node root, QuantisedGradients gradients)
    {
        var order = new List<Node> { root };
        for (int i = 0; i < order.Count; i++)
        {
            if (order[i].Left is { } left)
            {
                order.Add(left);
                order.Add(order[i].Right!);
            }
        }

        int count = order.Count;
        var tree = new GrownTree
        {
            LeftChildren = new int[count],
            RightChildren = new int[count],
            Parents = new int[count],
            SplitIndices = new int[count],
            SplitConditions = new float[count],
            SplitBins = new int[count],
            DefaultLeft = new bool[count],
            LossChanges = new float[count],
            SumHessians = new float[count],
            BaseWeights = new float[count],
            LeafRanges = new List<(int, int, float)>(),
        };
        var position = new Dictionary<Node, int>(count);
        for (int i = 0; i < count; i++)
        {
            position[order[i]] = i;
        }

        for (int i = 0; i < count; i++)
        {
            var node = order[i];
            double g = gradients.GradientValue(node.Gradient), h = gradients.HessianValue(node.Hessian);
            double weight = Weight(g, h);
            tree.Parents[i] = node.Parent is null ? int.MaxValue : position[node.Parent];
            tree.SumHessians[i] = (float)h;
            if (node.Left is { } left)
            {
                tree.LeftChildren[i] = position[left];
                tree.RightChildren[i] = position[node.Right!];
                tree.SplitIndices[i] = node.Split.Feature;
                tree.SplitConditions[i] = node.Split.Threshold;
                tree.SplitBins[i] = node.Split.Bin;
                tree.DefaultLeft[i] = node.Split.DefaultLeft;
                tree.LossChanges[i] = (float)node.Split.Gain;
                tree.BaseWeights[i] = (float)weight;
            }
            else
            {
                float value = (float)(weight * _parameters.Eta);
                tree.LeafRanges.Add((node.Start, node.End, value));
                tree.LeftChildren[i] = -1;
                tree.RightChildren[i] = -1;
                tree.SplitConditions[i] = value;
                tree.BaseWeights[i] = value;
            }
        }

        return tree;
    }

    /// <summary>One worker's running partial histogram and the node it belongs to.</summary>
    private sealed class WorkerHistogram
    {
        public Node? Node { get; set; }

        public long[]? Buffer { get; set; }
    }

    private sealed class Node(Node? parent, int start, int end, long gradient, long hessian)
    {
        public Node? Parent { get; } = parent;

        public int Start { get; } = start;

        public int End { get; } = end;

        public int Count => End - Start;

        public long Gradient { get; } = gradient;

        public long Hessian { get; } = hessian;

        public long[]? Histogram { get; set; }

        public SplitChoice Split { get; set; } = SplitChoice.None;

        public Node? Left { get; set; }

        public Node? Right { get; set; }
    }
}
