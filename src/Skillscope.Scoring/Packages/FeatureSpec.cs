namespace Skillscope.Scoring.Packages;

/// <summary>One input feature of a schema.</summary>
/// <param name="Name">The name clients send.</param>
/// <param name="Type"><c>float</c>, <c>int</c>, <c>bool</c> (0/1) or <c>category</c> (a category code); all are scored as 32-bit floats.</param>
/// <param name="Minimum">Smallest valid value, if bounded.</param>
/// <param name="Maximum">Largest valid value, if bounded.</param>
/// <param name="Description">What the feature means, for people.</param>
public sealed record FeatureSpec(string Name, string Type = "float", double? Minimum = null, double? Maximum = null, string? Description = null)
{
    /// <summary>Whether <paramref name="value"/> (finite) lies in the valid range.</summary>
    public bool InRange(double value) => (Minimum is not double min || value >= min) && (Maximum is not double max || value <= max);
}
