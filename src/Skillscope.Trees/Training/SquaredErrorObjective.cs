namespace Skillscope.Trees.Training;

/// <summary><c>reg:squarederror</c>: half the squared difference between margin and label.</summary>
internal sealed class SquaredErrorObjective() : TrainingObjective("reg:squarederror", 1)
{
    public override string DefaultMetric => "rmse";

    protected override string LabelRule => "any finite number";

    protected override bool IsValidLabel(float label) => true;

    public override double EstimateBaseScore(TrainingData data) => WeightedMean(data);

    public override void CheckBaseScore(double baseScore)
    {
    }

    public override void Gradients(ReadOnlySpan<float> margins, TrainingData data, int rowStart, int rowEnd, Span<double> gradients, Span<double> hessians)
    {
        for (int i = rowStart; i < rowEnd; i++)
        {
            double w = data.WeightOf(i);
            gradients[i] = (margins[i] - (double)data.Labels[i]) * w;
            hessians[i] = w;
        }
    }

    public override void WriteParameters(Format.IDocumentEmitter emitter)
    {
        emitter.Key("reg_loss_param");
        emitter.StartObject();
        emitter.Key("scale_pos_weight");
        emitter.String("1");
        emitter.EndObject();
    }
}
