using Skillscope.Trees.Metrics;

namespace Skillscope.Trees.Training;

/// <summary>A metric reported each round and used for early stopping, named as XGBoost names it.</summary>
internal sealed class EvaluationMetric
{
    private readonly Func<float[], TrainingData, int, double> _compute;

    private EvaluationMetric(string name, bool higherIsBetter, Func<float[], TrainingData, int, double> compute)
    {
        Name = name;
        HigherIsBetter = higherIsBetter;
        _compute = compute;
    }

    public string Name { get; }

    public bool HigherIsBetter { get; }

    public static EvaluationMetric Create(string name, TrainingParameters parameters)
    {
        bool multi = parameters.GroupCount > 1;
        bool binary = parameters.Objective is "binary:logistic" or "reg:logistic";
        return name switch
        {
            "rmse" when !multi => new(name, false, (m, d, _) => Rmse(m, d, binary)),
            "logloss" when binary => new(name, false, (m, d, _) => LogLoss(m, d)),
            "error" when binary => new(name, false, (m, d, _) => ErrorRate(Outputs(m, parameters), d)),
            "auc" when binary => new(name, true, (m, d, _) => ClassificationMetrics.RocAuc(Doubles(m), Doubles(d.Labels), Weights(d))),
            "poisson-nloglik" when parameters.Objective == "count:poisson" => new(name, false, (m, d, _) => PoissonNegativeLogLikelihood(m, d)),
            "mlogloss" when multi => new(name, false, (m, d, k) => MultiLogLoss(m, d, k)),
            "merror" when multi => new(name, false, (m, d, k) => MultiError(m, d, k)),
            _ => throw new TrainingException($"eval_metric \"{name}\" is unknown or does not apply to {parameters.Objective}; use rmse, logloss, error, auc, poisson-nloglik, mlogloss or merror as they apply"),
        };
    }

    /// <summary>Computes the metric from raw margins (row-major, <paramref name="groups"/> per row).</summary>
    public double Compute(float[] margins, TrainingData data, int groups) => _compute(margins, data, groups);

    public bool IsBetter(double candidate, double best) => HigherIsBetter ? candidate > best : candidate < best;

    private static double[] Outputs(float[] margins, TrainingParameters parameters)
    {
        var outputs = new double[margins.Length];
        bool sigmoid = parameters.Objective is "binary:logistic" or "reg:logistic";
        for (int i = 0; i < margins.Length; i++)
        {
            outputs[i] = sigmoid ? 1.0 / (1.0 + Math.Exp(-margins[i])) : margins[i];
        }

        return outputs;
    }

    // Computed every round on every row: direct loops, no temporary arrays.
    private static double LogLoss(float[] margins, TrainingData data)
    {
        double sum = 0, total = 0;
        for (int i = 0; i < margins.Length; i++)
        {
            double p = Math.Clamp(1.0 / (1.0 + Math.Exp(-margins[i])), ClassificationMetrics.MachineEpsilon, 1 - ClassificationMetrics.MachineEpsilon);
            double y = data.Labels[i], w = data.WeightOf(i);
            sum -= w * ((y * Math.Log(p)) + ((1 - y) * Math.Log(1 - p)));
            total += w;
        }

        return sum / total;
    }

    private static double Rmse(float[] margins, TrainingData data, bool sigmoid)
    {
        double sum = 0, total = 0;
        for (int i = 0; i < margins.Length; i++)
        {
            double prediction = sigmoid ? 1.0 / (1.0 + Math.Exp(-margins[i])) : margins[i];
            double d = prediction - data.Labels[i], w = data.WeightOf(i);
            sum += w * d * d;
            total += w;
        }

        return Math.Sqrt(sum / total);
    }

    private static double[] Doubles(float[] values) => Array.ConvertAll(values, v => (double)v);

    private static double[] Weights(TrainingData data) => data.Weights is null ? [] : Doubles(data.Weights);

    private static double ErrorRate(double[] probabilities, TrainingData data)
    {
        double wrong = 0, total = 0;
        for (int i = 0; i < probabilities.Length; i++)
        {
            double w = data.WeightOf(i);
            wrong += (probabilities[i] > 0.5) != (data.Labels[i] > 0.5) ? w : 0;
            total += w;
        }

        return wrong / total;
    }

    private static double PoissonNegativeLogLikelihood(float[] margins, TrainingData data)
    {
        double sum = 0, total = 0;
        for (int i = 0; i < margins.Length; i++)
        {
            double y = data.Labels[i];
            double w = data.WeightOf(i);
            sum += w * (LogGamma.Of(y + 1) + Math.Exp(margins[i]) - (y * margins[i]));
            total += w;
        }

        return sum / total;
    }

    private static double MultiLogLoss(float[] margins, TrainingData data, int k)
    {
        double sum = 0, total = 0;
        for (int i = 0; i < data.RowCount; i++)
        {
            var row = margins.AsSpan(i * k, k);
            double max = double.NegativeInfinity;
            foreach (var m in row)
            {
                max = Math.Max(max, m);
            }

            double z = 0;
            foreach (var m in row)
            {
                z += Math.Exp(m - max);
            }

            double p = Math.Exp(row[(int)data.Labels[i]] - max) / z;
            double w = data.WeightOf(i);
            sum -= w * Math.Log(Math.Max(p, 1e-15));
            total += w;
        }

        return sum / total;
    }

    private static double MultiError(float[] margins, TrainingData data, int k)
    {
        double wrong = 0, total = 0;
        for (int i = 0; i < data.RowCount; i++)
        {
            var row = margins.AsSpan(i * k, k);
            int best = 0;
            for (int c = 1; c < k; c++)
            {
                if (row[c] > row[best])
                {
                    best = c;
                }
            }

            double w = data.WeightOf(i);
            wrong += best != (int)data.Labels[i] ? w : 0;
            total += w;
        }

        return wrong / total;
    }
}
