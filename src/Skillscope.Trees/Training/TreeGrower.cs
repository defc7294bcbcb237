using System.Runtime.CompilerServices;
using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
    private readonly WorkerTeam _team;
    private readonly WorkerHistogram[] _workerHistograms;
    private readonly SplitSearch[] _searches;
    private readonly ConcurrentBag<long[]> _histogramPool = [];
    private readonly int _histogramLength;

    public TreeGrower(TrainingParameters parameters, BinnedMatrix matrix, FeatureCuts cuts, WorkerTeam team)
    {
        _parameters = parameters;
        _matrix = matrix;
        _cuts = cuts;
        _team = team;
        _histogramLength = 2 * cuts.TotalSlots;
        _workerHistograms = new WorkerHistogram[team.Size];
        _searches = new SplitSearch[team.Size];
        for (int i = 0; i < team.Size; i++)
        {
            _workerHistograms[i] = new WorkerHistogram();
            _searches[i] = new SplitSearch(parameters, cuts);
        }
    }

    /// <summary>
    /// Grows a tree over <paramref name="rows"/> (ascending row ids). The array is reordered so that each
    /// leaf's rows are contiguous: <see cref="GrownTree.LeafRanges"/> says where.
    /// </summary>
    public GrownTree Grow(int[] rows, QuantisedGradients gradients, int[] treeFeatures, DeterministicRandom random)
    {
        long sumG = 0, sumH = 0;
        var pairs = gradients.Pairs;
        foreach (int r in rows)
        {
            sumG += pairs[2 * r];
            sumH += pairs[(2 * r) + 1];
        }

        var root = new Node(null, 0, rows.Length, sumG, sumH);
        root.Histogram = RentHistogram();
        BuildHistograms([root], rows, gradients);
        var scratch = new int[rows.Length];
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

            var leftCounts = PartitionLevel(splitting, rows, scratch);
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
        _team.For(pairs.Count, (worker, p) =>
        {
            var node = level[pairs[p].Node];
            results[p] = _searches[worker].Best(node.Histogram!, node.Gradient, node.Hessian, pairs[p].Feature, gradients);
        });
        for (int p = 0; p < pairs.Count; p++)
        {
            var node = level[pairs[p].Node];
            if (results[p].Exists && results[p].Gain > node.Split.Gain)
            {
                node.Split = results[p];
            }
        }
    }

    /// <summary>
    /// Splits the rows of every splitting node into left then right, each in their original order, in
    /// fixed chunks of rows: each chunk partitions itself into <paramref name="scratch"/>, then the chunks'
    /// left and right runs are copied into place at offsets from a prefix sum.
    /// </summary>
    /// <returns>The number of rows going left, per node.</returns>
    private int[] PartitionLevel(List<Node> splitting, int[] rows, int[] scratch)
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
        _team.For(tasks.Count, (_, t) =>
        {
            var (n, start, end) = tasks[t];
            leftInTask[t] = PartitionChunk(splitting[n].Split, rows.AsSpan(start, end - start), scratch.AsSpan(start, end - start));
        });

        var leftCounts = new int[splitting.Count];
        var leftBefore = new int[tasks.Count];
        var rightBefore = new int[tasks.Count];
        for (int t = 0; t < tasks.Count; t++)
        {
            var (n, start, _) = tasks[t];
            leftBefore[t] = leftCounts[n];
            rightBefore[t] = start - splitting[n].Start - leftCounts[n];
            leftCounts[n] += leftInTask[t];
        }

        _team.For(tasks.Count, (_, t) =>
        {
            var (n, start, end) = tasks[t];
            int lefts = leftInTask[t], node = splitting[n].Start;
            scratch.AsSpan(start, lefts).CopyTo(rows.AsSpan(node + leftBefore[t]));
            scratch.AsSpan(start + lefts, end - start - lefts).CopyTo(rows.AsSpan(node + leftCounts[n] + rightBefore[t]));
        });
        return leftCounts;
    }

    /// <summary>
    /// Writes the chunk's left rows then its right rows, both in order, into <paramref name="into"/>.
    /// Branch-free: a row is written to both sides and only the side it belongs to advances.
    /// </summary>
    /// <returns>The number of left rows.</returns>
    // Optimised at first call: a training run is over before tiered compilation would have replaced its loops'
    // first, unoptimised code (about a quarter of a small training run went to it).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int PartitionChunk(SplitChoice split, ReadOnlySpan<int> chunk, Span<int> into)
    {
        var column = _matrix.Columns.AsSpan((int)((long)split.Feature * _matrix.RowCount), _matrix.RowCount);
        Span<int> rights = stackalloc int[RowsPerTask];
        int splitBin = split.Bin, lefts = 0, rightCount = 0;
        bool missingLeft = split.DefaultLeft;
        foreach (int r in chunk)
        {
            int bin = column[r];
            bool left = (bin <= splitBin) | ((bin == BinnedMatrix.Missing) & missingLeft);
            int goesLeft = left ? 1 : 0;
            into[lefts] = r;
            rights[rightCount] = r;
            lefts += goesLeft;
            rightCount += 1 - goesLeft;
        }

        rights[..rightCount].CopyTo(into[lefts..]);
        return lefts;
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

        _team.For(tasks.Count, (worker, t) =>
        {
            var (node, start, end) = tasks[t];
            if (end - start == node.Count)
            {
                // The only task of its node: nobody else writes this histogram.
                Accumulate(node.Histogram!, rows, start, end, gradients);
                return;
            }

            var local = _workerHistograms[worker];
            if (local.Node != node)
            {
                Flush(local);
                local.Node = node;
                local.Buffer ??= RentHistogram();
            }

            Accumulate(local.Buffer!, rows, start, end, gradients);
        });
        foreach (var local in _workerHistograms)
        {
            Flush(local);
        }
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Accumulate(long[] histogram, int[] rows, int start, int end, QuantisedGradients gradients)
    {
        if (_matrix.CompactSlots is { } compact)
        {
            Accumulate(histogram, compact, _matrix.FeatureCount, rows, start, end, gradients.Pairs);
        }
        else
        {
            Accumulate(histogram, _matrix.WideSlots!, _matrix.FeatureCount, rows, start, end, gradients.Pairs);
        }
    }

    /// <summary>
    /// Adds each row's gradient pair to the slot of each of its values, both halves in one vector add (one
    /// store per value instead of two: the loop is bound by stores). Below the root, rows are a
    /// scattered subset, so the data of a row a few steps ahead is prefetched while this one is added.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Accumulate<TSlot>(long[] histogram, TSlot[] slots, int features, int[] rows, int start, int end, long[] pairs)
        where TSlot : unmanaged, IBinaryInteger<TSlot>
    {
        const int Ahead = 16;
        fixed (TSlot* slotBase = slots)
        fixed (long* hist = histogram, pair = pairs)
        fixed (int* rowIds = rows)
        {
            for (int i = start; i < end; i++)
            {
                if (Sse.IsSupported && i + Ahead < end)
                {
                    int ahead = rowIds[i + Ahead];
                    TSlot* aheadRow = slotBase + ((long)ahead * features);
                    Sse.Prefetch0(aheadRow);
                    Sse.Prefetch0(aheadRow + features - 1);
                    Sse.Prefetch0(pair + (2L * ahead));
                }

                int r = rowIds[i];
                var gradientPair = Vector128.Load(pair + (2L * r));
                TSlot* row = slotBase + ((long)r * features);
                for (int f = 0; f < features; f++)
                {
                    long* at = hist + (2L * int.CreateTruncating(row[f]));
                    Vector128.Store(Vector128.Load(at) + gradientPair, at);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
            double weight = SplitSearch.Weight(g, h, _parameters);
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

