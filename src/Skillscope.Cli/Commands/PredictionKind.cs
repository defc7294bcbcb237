namespace Skillscope.Cli.Commands;

/// <summary>What <c>predict</c> writes per row.</summary>
internal enum PredictionKind
{
    Prediction,
    Margin,
    Contributions,
    Leaves,
}
