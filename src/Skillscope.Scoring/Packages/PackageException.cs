namespace Skillscope.Scoring.Packages;

/// <summary>A model package that cannot be read, verified or registered; <see cref="Code"/> is stable for clients.</summary>
public sealed class PackageException(string code, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>A stable, machine-readable reason such as <c>checksum_mismatch</c> or <c>schema_mismatch</c>.</summary>
    public string Code { get; } = code;
}
