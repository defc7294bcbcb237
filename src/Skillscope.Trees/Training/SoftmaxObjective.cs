using System.Globalization;

namespace Skillscope.Trees.Training;

/// <summary><c>multi:softprob</c> and <c>multi:softmax</c>: cross-entropy over a softmax of one margin per class.</summary>
internal sealed class SoftmaxObjective(string name, int classCount) : TrainingObjective(name, classCount)
{
    private const double MinHessian = 1e-16;

    public override string DefaultMetric => "mlogloss";

    protected override string LabelRule => $"a class index 0 … {GroupCount - 1}";

    protected override bool IsValidLabel(float label) => label >= 0 && label < GroupCount && label == MathF.Floor(label);

    // XGBoost does not estimate an intercept for multi-class models; every class starts at the same margin.
    public override double EstimateBaseScore(TrainingData data) => 0.5;

    public override void CheckBaseScore(double baseScore)
    {
    }

    public override void Gradients(ReadOnlySpan<float> margins, TrainingData data, int rowStart, int rowEnd, Span<double> gradients, Span<double> hessians)
    {
        int k = GroupCount;
        Span<double> p = k <= 64 ? stackalloc double[k] : new double[k];
        for (int i = rowStart; i < rowEnd; i++)
        {
            var row = margins.Slice(i * k, k);
            double max = double.NegativeInfinity;
            for (int c = 0; c < k; c++)
            {
                max = Math.Max(max, row[c]);
            }

            double sum = 0;
            for (int c = 0; c < k; c++)
            {
                p[c] = Math.Exp(row[c] - max);
                sum += p[c];
            }

            int label = (int)data.Labels[i];
            double w = data.WeightOf(i);
            for (int c = 0; c < k; c++)
            {
                double prob = p[c] / sum;
                gradients[(i * k) + c] = (prob - (c == label ? 1.0 : 0.0)) * w;
                hessians[(i * k) + c] = Math.Max(2.0 * prob * (1.0 - prob), MinHessian) * w;
            }
        }
    }

    public override void WriteParameters(Format.IDocumentEmitter emitter)
    {
        emitter.Key("softmax_multiclass_param");
        emitter.StartObject();
        emitter.Key("num_class");
        emitter.String(GroupCount.ToString(CultureInfo.InvariantCulture));
        emitter.EndObject();
    }
}
