namespace Skillscope.Scoring.Registry;

/// <summary>A registry request that cannot be carried out; <see cref="Code"/> is stable for clients.</summary>
public sealed class RegistryException(string code, string message) : Exception(message)
{
    /// <summary>E.g. <c>model_not_found</c>, <c>version_exists</c>, <c>invalid_split</c>.</summary>
    public string Code { get; } = code;
}
