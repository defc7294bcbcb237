using Skillscope.Trees.Explanation;
using Skillscope.Trees.Metrics;
using Skillscope.Trees.Model;
using Skillscope.Trees.Training;

namespace Skillscope.Trees.Evaluation;

/// <summary>Scores a labelled data set with a model (optionally calibrated) and computes what the report shows.</summary>
public static class ModelEvaluator
{
    private const int HistogramBins = 20;

    /// <summary>Evaluates a binary classifier or a regressor.</summary>
    /// <param name="name">How the report names the model.</param>
    /// <param name="model">The model.</param>
    /// <param name="data">Labelled rows in the model's feature order.</param>
    /// <param name="calibration">A calibration method's name and function from score to probability, if any.</param>
    /// <exception cref="TrainingException">A multi-class model, labels that do not fit the model, or mismatched features.</exception>
    public static ModelEvaluation Evaluate(string name, XgboostModel model, TrainingData data, (string Name, Func<double, double> Calibrate)? calibration = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (model.OutputWidth != 1)
        {
            throw new TrainingException($"evaluate reports on binary classifiers and regressors; {model.Objective.Name} has {model.GroupCount} outputs");
        }

        if (data.FeatureCount != model.FeatureCount)
        {
            throw new TrainingException($"mismatched lengths: the data has {data.FeatureCount} features, the model {model.FeatureCount}");
        }

        var raw = new float[data.RowCount];
        model.Predictor.PredictBatch(data.Features, raw);
        var scores = new double[raw.Length];
        for (int i = 0; i < raw.Length; i++)
        {
            scores[i] = calibration is { } c ? c.Calibrate(raw[i]) : raw[i];
        }

        var labels = Array.ConvertAll(data.Labels, l => (double)l);
        var weights = data.Weights is null ? [] : Array.ConvertAll(data.Weights, w => (double)w);
        bool binary = model.Objective.Transform is OutputTransform.Sigmoid && model.Objective.Name != "reg:logistic";
        var metrics = new List<KeyValuePair<string, double>>();
        IReadOnlyList<(double, double, double)> roc = [];
        IReadOnlyList<CalibrationBin> reliability = [];
        if (binary)
        {
            foreach (var label in labels)
            {
                if (label is not (0 or 1))
                {
                    throw new TrainingException($"a binary classifier is evaluated on 0/1 labels; found {label}");
                }
            }

            var atHalf = ClassificationMetrics.AtThreshold(scores, labels);
            metrics.Add(new("ROC AUC", ClassificationMetrics.RocAuc(scores, labels, weights)));
            metrics.Add(new("log loss", ClassificationMetrics.LogLoss(scores, labels, weights)));
            metrics.Add(new("Brier score", ClassificationMetrics.BrierScore(scores, labels, weights)));
            metrics.Add(new("expected calibration error", ClassificationMetrics.ExpectedCalibrationError(scores, labels)));
            metrics.Add(new("accuracy @0.5", atHalf.Accuracy));
            metrics.Add(new("precision @0.5", atHalf.Precision));
            metrics.Add(new("recall @0.5", atHalf.Recall));
            metrics.Add(new("F1 @0.5", atHalf.F1));
            metrics.Add(new("positive rate", labels.Average()));
            roc = ClassificationMetrics.RocCurve(scores, labels);
            reliability = ClassificationMetrics.CalibrationBins(scores, labels);
        }
        else
        {
            metrics.Add(new("RMSE", RegressionMetrics.Rmse(scores, labels, weights)));
            metrics.Add(new("Pearson r", RegressionMetrics.Pearson(scores, labels)));
            metrics.Add(new("Spearman r", RegressionMetrics.Spearman(scores, labels)));
        }

        double min = binary ? 0 : scores.Min(), max = binary ? 1 : scores.Max();
        var histogram = new int[HistogramBins];
        foreach (var s in scores)
        {
            int bin = max > min ? (int)((s - min) / (max - min) * HistogramBins) : 0;
            histogram[Math.Clamp(bin, 0, HistogramBins - 1)]++;
        }

        var importance = model.TreeCount > 0
            ? model.GetImportance(ImportanceType.TotalGain).OrderByDescending(i => i.Values[0]).ToList()
            : [];
        return new ModelEvaluation(name, model.Objective.Name, data.RowCount, calibration?.Name ?? "none", metrics, roc, reliability, histogram, min, max, importance);
    }
}
