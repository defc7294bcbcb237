using Skillscope.Trees.Model;
using static Skillscope.Trees.Format.DocumentAccess;

namespace Skillscope.Trees.Format;

internal static partial class XgboostModelReader
{
    /// <summary>Deeper trees are refused: TreeSHAP's path buffers grow with depth squared.</summary>
    internal const int MaxTreeDepth = 256;

    private static RegressionTree ReadTree(DocumentNode node, string path, int index, int featureCount)
    {
        var tree = AsObject(node, path);
        if (OptionalMember(tree, "id") is { } idNode && (idNode is not DocumentNumber id || id.Value != index))
        {
            throw new TreeModelException($"tree id must equal its position {index}", path + ".id");
        }

        var param = ObjectMember(tree, "tree_param", path);
        long nodeCount = IntegerParameter(param, "num_nodes", path + ".tree_param");
        long leafVector = IntegerParameter(param, "size_leaf_vector", path + ".tree_param", 1);
        if (leafVector > 1)
        {
            throw new TreeModelException(
                $"vector-leaf trees (size_leaf_vector = {leafVector}, multi_strategy=\"multi_output_tree\") are not supported",
                path + ".tree_param.size_leaf_vector");
        }

        if (nodeCount < 1 || nodeCount > 100_000_000)
        {
            throw new TreeModelException($"num_nodes out of range: {nodeCount}", path + ".tree_param.num_nodes");
        }

        int n = (int)nodeCount;
        int[] left = IntArray(Member(tree, "left_children", path), path + ".left_children", n, -1, n - 1);
        int[] right = IntArray(Member(tree, "right_children", path), path + ".right_children", n, -1, n - 1);
        double[] rawFeatures = NumberArray(Member(tree, "split_indices", path), path + ".split_indices", n);
        float[] conditions = FloatArray(Member(tree, "split_conditions", path), path + ".split_conditions", n);
        bool[] defaultLeft = FlagArray(Member(tree, "default_left", path), path + ".default_left", n);
        float[] hessians = FloatArray(Member(tree, "sum_hessian", path), path + ".sum_hessian", n);
        float[] gains = FloatArray(Member(tree, "loss_changes", path), path + ".loss_changes", n);
        float[] baseWeights = FloatArray(Member(tree, "base_weights", path), path + ".base_weights", n);
        int[] splitTypes = OptionalMember(tree, "split_type") is { } st ? IntArray(st, path + ".split_type", n, 0, 1) : new int[n];

        var categories = ReadCategories(tree, path, n, splitTypes);
        var bitsetSizes = new int[n];
        var features = new int[n];
        Array.Fill(features, -1);
        int depth = CheckStructure(path, left, right, rawFeatures, conditions, hessians, categories, featureCount, features);
        for (int i = 0; i < n; i++)
        {
            if (categories[i] is { } cats)
            {
                // XGBoost 1.x sizes each node's bitset from its largest listed category, in 32-bit words.
                bitsetSizes[i] = ((cats[^1] + 1 + 31) / 32) * 32;
            }
        }

        return new RegressionTree
        {
            LeftChildren = left,
            RightChildren = right,
            SplitFeatures = features,
            SplitConditions = conditions,
            DefaultLeft = defaultLeft,
            RightCategories = categories,
            CategoryBitsetSizes = bitsetSizes,
            SumHessians = hessians,
            LossChanges = gains,
            BaseWeights = baseWeights,
            Depth = depth,
            HasCategoricalSplits = Array.Exists(categories, c => c is not null),
        };
    }

    /// <summary>
    /// Walks the tree from the root: every reachable node is visited once (no cycles, no shared
    /// children), children are in range, splits name real features, and values are numbers.
    /// Unreachable nodes (deleted by pruning) are allowed and ignored, as XGBoost ignores them.
    /// </summary>
    private static int CheckStructure(
        string path, int[] left, int[] right, double[] rawFeatures, float[] conditions, float[] hessians,
        int[]?[] categories, int featureCount, int[] features)
    {
        var visited = new bool[left.Length];
        var stack = new Stack<(int Node, int Depth)>();
        stack.Push((0, 0));
        visited[0] = true;
        int maxDepth = 0;
        while (stack.Count > 0)
        {
            var (node, depth) = stack.Pop();
            maxDepth = Math.Max(maxDepth, depth);
            if (float.IsNaN(hessians[node]))
            {
                throw new TreeModelException("sum_hessian is NaN", $"{path}.sum_hessian[{node}]");
            }

            if (left[node] == -1 || right[node] == -1)
            {
                if (left[node] != right[node])
                {
                    throw new TreeModelException($"node {node} has one child", $"{path}.left_children[{node}]");
                }

                if (!float.IsFinite(conditions[node]))
                {
                    throw new TreeModelException($"leaf value of node {node} is not a finite number", $"{path}.split_conditions[{node}]");
                }

                continue;
            }

            if (depth >= MaxTreeDepth)
            {
                throw new TreeModelException($"tree deeper than {MaxTreeDepth} levels", path);
            }

            double feature = rawFeatures[node];
            if (feature != Math.Floor(feature) || feature < 0 || feature >= featureCount)
            {
                throw new TreeModelException($"split feature {feature} is not one of the model's {featureCount} features", $"{path}.split_indices[{node}]");
            }

            features[node] = (int)feature;
            if (categories[node] is null && float.IsNaN(conditions[node]))
            {
                throw new TreeModelException($"split threshold of node {node} is NaN", $"{path}.split_conditions[{node}]");
            }

            foreach (int child in (ReadOnlySpan<int>)[left[node], right[node]])
            {
                if (child <= 0)
                {
                    throw new TreeModelException($"node {node} points back at the root", $"{path}.left_children[{node}]");
                }

                if (visited[child])
                {
                    throw new TreeModelException($"node {child} is reached twice (a cycle or a shared child)", $"{path}.left_children[{node}]");
                }

                visited[child] = true;
                stack.Push((child, depth + 1));
            }
        }

        return maxDepth;
    }

    /// <summary>Reads XGBoost's CSR category storage into a sorted array per categorical node.</summary>
    private static int[]?[] ReadCategories(DocumentObject tree, string path, int nodeCount, int[] splitTypes)
    {
        var result = new int[]?[nodeCount];
        if (!Array.Exists(splitTypes, t => t == 1))
        {
            return result;
        }

        int[] nodes = IntArray(Member(tree, "categories_nodes", path), path + ".categories_nodes", -1, 0, nodeCount - 1);
        int[] segments = IntArray(Member(tree, "categories_segments", path), path + ".categories_segments", nodes.Length, 0);
        int[] sizes = IntArray(Member(tree, "categories_sizes", path), path + ".categories_sizes", nodes.Length, 1);
        // 2^24 is the largest category XGBoost represents exactly (a float32 mantissa).
        int[] values = IntArray(Member(tree, "categories", path), path + ".categories", -1, 0, 1 << 24);
        for (int i = 0; i < nodes.Length; i++)
        {
            if ((long)segments[i] + sizes[i] > values.Length)
            {
                throw new TreeModelException($"category segment {i} runs past the end of the categories", $"{path}.categories_segments[{i}]");
            }

            if (splitTypes[nodes[i]] != 1)
            {
                throw new TreeModelException($"node {nodes[i]} has categories but a numerical split type", $"{path}.categories_nodes[{i}]");
            }

            var set = values.AsSpan(segments[i], sizes[i]).ToArray();
            Array.Sort(set);
            result[nodes[i]] = set;
        }

        for (int node = 0; node < nodeCount; node++)
        {
            if (splitTypes[node] == 1 && result[node] is null)
            {
                throw new TreeModelException($"categorical node {node} has no categories", $"{path}.split_type[{node}]");
            }
        }

        return result;
    }
}
