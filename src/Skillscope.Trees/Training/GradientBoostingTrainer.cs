namespace Skillscope.Trees.Training;

/// <summary>
/// Histogram gradient boosting, as XGBoost's <c>hist</c> tree method does it: features binned once into
/// at most <c>max_bin</c> quantile bins, trees grown depth-wise from gradient histograms, one tree per class
/// per round. The same data, parameters and seed give the same model file, whatever the thread count.
/// </summary>
public static class GradientBoostingTrainer
{
    private const int RowsPerTask = 8192;

    /// <summary>Trains a model.</summary>
    /// <param name="train">The training data.</param>
    /// <param name="parameters">Hyper-parameters (XGBoost's names and defaults).</param>
    /// <param name="validation">Optional held-out data: reported each round and used for early stopping.</param>
    /// <param name="progress">Called after each round; when given, the training metric is computed every round.</param>
    /// <param name="cancellation">Stops between rounds.</param>
    /// <exception cref="TrainingException">Bad parameters or data, named.</exception>
    public static TrainedModel Train(
        TrainingData train,
        TrainingParameters parameters,
        TrainingData? validation = null,
        Action<TrainingRound>? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        var objective = TrainingObjective.Create(parameters);
        objective.CheckLabels(train, "training");
        if (validation is not null)
        {
            if (validation.FeatureCount != train.FeatureCount)
            {
                throw new TrainingException($"mismatched lengths: the validation data has {validation.FeatureCount} features, the training data {train.FeatureCount}");
            }

            objective.CheckLabels(validation, "validation");
        }

        if (parameters.EarlyStoppingRounds is not null && validation is null)
        {
            throw new TrainingException("early_stopping_rounds needs validation data");
        }

        var metric = EvaluationMetric.Create(parameters.EvalMetric ?? objective.DefaultMetric, parameters);
        using var team = new WorkerTeam(parameters.Threads > 0 ? parameters.Threads : Environment.ProcessorCount);
        var cuts = FeatureCuts.Build(train, parameters.MaxBin, team);
        var trainBins = BinnedMatrix.Build(train, cuts, team, withSlots: true);
        var validBins = validation is null ? null : BinnedMatrix.Build(validation, cuts, team, withSlots: false);

        float baseScore = (float)(parameters.BaseScore ?? objective.EstimateBaseScore(train));
        float baseMargin = objective.Model.BaseScoreToMargin(baseScore);
        int groups = objective.GroupCount;
        var margins = Filled(train.RowCount * groups, baseMargin);
        var validMargins = validation is null ? null : Filled(validation.RowCount * groups, baseMargin);
        var gradients = new double[margins.Length];
        var hessians = new double[margins.Length];
        var quantised = new QuantisedGradients(train.RowCount);
        var random = new DeterministicRandom(parameters.Seed);
        var grower = new TreeGrower(parameters, trainBins, cuts, team);
        var allFeatures = Enumerable.Range(0, train.FeatureCount).ToArray();

        var trees = new List<GrownTree>();
        var treeGroups = new List<int>();
        var rounds = new List<TrainingRound>();
        int? bestIteration = null;
        double bestScore = double.NaN;
        for (int round = 0; round < parameters.NumRound; round++)
        {
            cancellation.ThrowIfCancellationRequested();
            ForRowChunks(train.RowCount, team, (start, end) => objective.Gradients(margins, train, start, end, gradients, hessians));
            var rows = SampleRows(train.RowCount, parameters.Subsample, random);
            for (int group = 0; group < groups; group++)
            {
                var treeFeatures = random.SampleFraction(allFeatures, parameters.ColsampleByTree);
                var treeRows = (int[])rows.Clone();
                quantised.Quantise(gradients, hessians, groups, group, rows, team);
                var tree = grower.Grow(treeRows, quantised, treeFeatures, random);
                trees.Add(tree);
                treeGroups.Add(group);
                if (rows.Length == train.RowCount)
                {
                    AddLeafValues(tree, treeRows, margins, groups, group, team);
                }
                else
                {
                    AddTree(tree, trainBins, margins, groups, group, team);
                }
                if (validBins is not null)
                {
                    AddTree(tree, validBins, validMargins!, groups, group, team);
                }
            }

            double? trainMetric = progress is null ? null : metric.Compute(margins, train, groups);
            double? validMetric = validation is null ? null : metric.Compute(validMargins!, validation, groups);
            var report = new TrainingRound(round, metric.Name, trainMetric, validMetric);
            rounds.Add(report);
            progress?.Invoke(report);

            if (parameters.EarlyStoppingRounds is int patience && validMetric is double score)
            {
                if (bestIteration is null || metric.IsBetter(score, bestScore))
                {
                    bestIteration = round;
                    bestScore = score;
                }
                else if (round - bestIteration >= patience)
                {
                    break;
                }
            }
        }

        if (rounds.Count > 0 && rounds[^1].Train is null)
        {
            rounds[^1] = rounds[^1] with { Train = metric.Compute(margins, train, groups) };
        }

        return new TrainedModel(objective, parameters, train.FeatureCount, train.FeatureNames, baseScore, trees, treeGroups, rounds,
            bestIteration, bestIteration is null ? null : bestScore);
    }

    private static float[] Filled(int length, float value)
    {
        var array = new float[length];
        Array.Fill(array, value);
        return array;
    }

    /// <summary>Each row is kept with probability <c>subsample</c>, drawn in row order from the seeded stream.</summary>
    private static int[] SampleRows(int rowCount, double subsample, DeterministicRandom random)
    {
        if (subsample >= 1)
        {
            return Enumerable.Range(0, rowCount).ToArray();
        }

        var kept = new List<int>((int)(rowCount * subsample) + 16);
        for (int r = 0; r < rowCount; r++)
        {
            if (random.NextDouble() < subsample)
            {
                kept.Add(r);
            }
        }

        return kept.Count > 0 ? kept.ToArray() : [random.Next(rowCount)];
    }

    /// <summary>Every training row was in the tree: its leaf is known from where growing left it.</summary>
    private static void AddLeafValues(GrownTree tree, int[] treeRows, float[] margins, int groups, int group, WorkerTeam team)
    {
        team.For(tree.LeafRanges.Count, (_, l) =>
        {
            var leaf = tree.LeafRanges[l];
            for (int i = leaf.Start; i < leaf.End; i++)
            {
                margins[(treeRows[i] * groups) + group] += leaf.Value;
            }
        });
    }

    private static void AddTree(GrownTree tree, BinnedMatrix bins, float[] margins, int groups, int group, WorkerTeam team)
    {
        ForRowChunks(bins.RowCount, team, (start, end) =>
        {
            for (int r = start; r < end; r++)
            {
                int leaf = tree.LeafOf(bins, r);
                margins[(r * groups) + group] += tree.SplitConditions[leaf];
            }
        });
    }

    private static void ForRowChunks(int rowCount, WorkerTeam team, Action<int, int> body)
    {
        int chunks = (rowCount + RowsPerTask - 1) / RowsPerTask;
        team.For(chunks, (_, c) => body(c * RowsPerTask, Math.Min(rowCount, (c + 1) * RowsPerTask)));
    }
}
