using System.Globalization;
using Skillscope.Trees.Model;

namespace Skillscope.Trees.Training;

/// <summary>
/// A loss the trainer minimises: first and second derivatives per row, what labels it accepts, the best
/// constant start, and how it is described in the saved model.
/// </summary>
internal abstract class TrainingObjective
{
    public static readonly string[] SupportedNames =
        ["binary:logistic", "reg:logistic", "reg:squarederror", "count:poisson", "multi:softprob", "multi:softmax"];

    protected TrainingObjective(string name, int groupCount)
    {
        Name = name;
        GroupCount = groupCount;
        Model = ModelObjective.TryFromName(name)!;
    }

    public string Name { get; }

    public int GroupCount { get; }

    /// <summary>The scoring-side description (output transform, base_score link).</summary>
    public ModelObjective Model { get; }

    /// <summary>The metric reported and used for early stopping when none is named.</summary>
    public abstract string DefaultMetric { get; }

    public static bool IsSupported(string name) => Array.IndexOf(SupportedNames, name) >= 0;

    public static TrainingObjective Create(TrainingParameters parameters) => parameters.Objective switch
    {
        "binary:logistic" => new LogisticObjective(parameters.Objective, parameters.ScalePosWeight, "logloss"),
        "reg:logistic" => new LogisticObjective(parameters.Objective, 1.0, "rmse"),
        "reg:squarederror" => new SquaredErrorObjective(),
        "count:poisson" => new PoissonObjective(),
        "multi:softprob" or "multi:softmax" => new SoftmaxObjective(parameters.Objective, parameters.NumClass),
        _ => throw new TrainingException($"objective \"{parameters.Objective}\" cannot be trained here; use one of {string.Join(", ", SupportedNames)}"),
    };

    /// <summary>Refuses labels the loss is not defined for, and a label that never varies.</summary>
    public void CheckLabels(TrainingData data, string setName)
    {
        float first = data.Labels[0];
        bool varies = false;
        for (int i = 0; i < data.RowCount; i++)
        {
            float label = data.Labels[i];
            if (!IsValidLabel(label))
            {
                throw new TrainingException(
                    $"{setName} row {i + 1}: label {label.ToString(CultureInfo.InvariantCulture)} is outside what {Name} accepts ({LabelRule})");
            }

            varies |= label != first;
        }

        if (!varies && setName == "training")
        {
            throw new TrainingException($"the training label is constant ({first.ToString(CultureInfo.InvariantCulture)} in every row): there is nothing to learn");
        }
    }

    /// <summary>The loss-minimising constant prediction, in output space (what <c>base_score</c> stores).</summary>
    public abstract double EstimateBaseScore(TrainingData data);

    /// <summary>Refuses a given <c>base_score</c> outside the link function's domain.</summary>
    public abstract void CheckBaseScore(double baseScore);

    /// <summary>
    /// Writes gradient and hessian for every row and group; <paramref name="margins"/> and the outputs are
    /// row-major with <see cref="GroupCount"/> values per row.
    /// </summary>
    public abstract void Gradients(ReadOnlySpan<float> margins, TrainingData data, int rowStart, int rowEnd, Span<double> gradients, Span<double> hessians);

    /// <summary>Writes the objective's parameters object as XGBoost names it.</summary>
    public abstract void WriteParameters(Format.IDocumentEmitter emitter);

    protected abstract string LabelRule { get; }

    protected abstract bool IsValidLabel(float label);

    protected static double WeightedMean(TrainingData data)
    {
        double sum = 0, weight = 0;
        for (int i = 0; i < data.RowCount; i++)
        {
            double w = data.WeightOf(i);
            sum += w * data.Labels[i];
            weight += w;
        }

        return weight > 0 ? sum / weight : throw new TrainingException("every row has weight 0");
    }
}
