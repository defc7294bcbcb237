using System.Globalization;

namespace Skillscope.Trees.Training;

/// <summary><c>binary:logistic</c> and <c>reg:logistic</c>: log loss on a sigmoid of the margin.</summary>
internal sealed class LogisticObjective(string name, double scalePosWeight, string defaultMetric) : TrainingObjective(name, 1)
{
    // XGBoost's floor on the hessian keeps a saturated row from producing an infinite step.
    private const double MinHessian = 1e-16;

    public override string DefaultMetric => defaultMetric;

    protected override string LabelRule => "a number in [0, 1]";

    protected override bool IsValidLabel(float label) => label is >= 0 and <= 1;

    public override double EstimateBaseScore(TrainingData data) => Math.Clamp(WeightedMean(data), 1e-6, 1 - 1e-6);

    public override void CheckBaseScore(double baseScore)
    {
        if (!(baseScore > 0 && baseScore < 1))
        {
            throw new TrainingException($"base_score = {baseScore.ToString(CultureInfo.InvariantCulture)} is invalid for {Name}: it must be in (0, 1)");
        }
    }

    public override void Gradients(ReadOnlySpan<float> margins, TrainingData data, int rowStart, int rowEnd, Span<double> gradients, Span<double> hessians)
    {
        for (int i = rowStart; i < rowEnd; i++)
        {
            double p = 1.0 / (1.0 + Math.Exp(-margins[i]));
            double y = data.Labels[i];
            double w = data.WeightOf(i);
            if (y == 1.0)
            {
                w *= scalePosWeight;
            }

            gradients[i] = (p - y) * w;
            hessians[i] = Math.Max(p * (1.0 - p), MinHessian) * w;
        }
    }

    public override void WriteParameters(Format.IDocumentEmitter emitter)
    {
        emitter.Key("reg_loss_param");
        emitter.StartObject();
        emitter.Key("scale_pos_weight");
        emitter.String(((float)scalePosWeight).ToString("R", CultureInfo.InvariantCulture));
        emitter.EndObject();
    }
}
