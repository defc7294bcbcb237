namespace Skillscope.Trees.Explanation;

/// <summary>Global importances exactly as XGBoost's <c>get_score</c>: float sums over every tree in XGBoost's walk order.</summary>
internal static class FeatureImportanceCalculator
{
    public static IReadOnlyList<FeatureImportance> Compute(XgboostModel model, ImportanceType type)
    {
        if (model.Linear is { } linear)
        {
            if (type != ImportanceType.Weight)
            {
                throw new TreeModelException($"a gblinear model only has weight importance (its coefficients), not {type}");
            }

            var coefficients = new List<FeatureImportance>(model.FeatureCount);
            for (int f = 0; f < model.FeatureCount; f++)
            {
                var values = new float[linear.GroupCount];
                for (int g = 0; g < values.Length; g++)
                {
                    values[g] = linear.Weight(f, g);
                }

                coefficients.Add(new FeatureImportance(f, NameOf(model, f), values));
            }

            return coefficients;
        }

        var counts = new int[model.FeatureCount];
        var totals = new float[model.FeatureCount];
        var stack = new Stack<int>();
        foreach (var tree in model.Trees)
        {
            // XGBoost's WalkTree: a stack from the root, pushing left then right (so right is visited first).
            stack.Push(0);
            while (stack.Count > 0)
            {
                int node = stack.Pop();
                if (tree.IsLeaf(node))
                {
                    continue;
                }

                int feature = tree.SplitFeatures[node];
                counts[feature]++;
                totals[feature] += type switch
                {
                    ImportanceType.Gain or ImportanceType.TotalGain => tree.LossChanges[node],
                    ImportanceType.Cover or ImportanceType.TotalCover => tree.SumHessians[node],
                    _ => 0,
                };
                stack.Push(tree.LeftChildren[node]);
                stack.Push(tree.RightChildren[node]);
            }
        }

        var result = new List<FeatureImportance>();
        for (int f = 0; f < counts.Length; f++)
        {
            if (counts[f] == 0)
            {
                continue;
            }

            float value = type switch
            {
                ImportanceType.Weight => counts[f],
                ImportanceType.Gain or ImportanceType.Cover => totals[f] / Math.Max(1.0f, counts[f]),
                _ => totals[f],
            };
            result.Add(new FeatureImportance(f, NameOf(model, f), [value]));
        }

        return result;
    }

    private static string NameOf(XgboostModel model, int feature) => model.FeatureNames?[feature] ?? $"f{feature}";
}
