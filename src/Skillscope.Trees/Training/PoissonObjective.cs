using System.Globalization;

namespace Skillscope.Trees.Training;

/// <summary><c>count:poisson</c>: Poisson negative log-likelihood with a log link.</summary>
internal sealed class PoissonObjective() : TrainingObjective("count:poisson", 1)
{
    // XGBoost's default max_delta_step for Poisson: it inflates the hessian so early steps stay small.
    private const double MaxDeltaStep = 0.7;

    public override string DefaultMetric => "poisson-nloglik";

    protected override string LabelRule => "a count ≥ 0";

    protected override bool IsValidLabel(float label) => label >= 0;

    public override double EstimateBaseScore(TrainingData data) => Math.Max(WeightedMean(data), 1e-6);

    public override void CheckBaseScore(double baseScore)
    {
        if (!(baseScore > 0))
        {
            throw new TrainingException($"base_score = {baseScore.ToString(CultureInfo.InvariantCulture)} is invalid for {Name}: it must be > 0");
        }
    }

    public override void Gradients(ReadOnlySpan<float> margins, TrainingData data, int rowStart, int rowEnd, Span<double> gradients, Span<double> hessians)
    {
        for (int i = rowStart; i < rowEnd; i++)
        {
            double w = data.WeightOf(i);
            double margin = margins[i];
            gradients[i] = (Math.Exp(margin) - data.Labels[i]) * w;
            hessians[i] = Math.Exp(margin + MaxDeltaStep) * w;
        }
    }

    public override void WriteParameters(Format.IDocumentEmitter emitter)
    {
        emitter.Key("poisson_regression_param");
        emitter.StartObject();
        emitter.Key("max_delta_step");
        emitter.String(((float)MaxDeltaStep).ToString("R", CultureInfo.InvariantCulture));
        emitter.EndObject();
    }
}
