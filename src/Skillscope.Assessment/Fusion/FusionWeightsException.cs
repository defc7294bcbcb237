namespace Skillscope.Assessment.Fusion;

/// <summary>A fusion weights document or update that is not valid; nothing was applied.</summary>
public sealed class FusionWeightsException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
