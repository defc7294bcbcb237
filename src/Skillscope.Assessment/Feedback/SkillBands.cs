using System.Globalization;

namespace Skillscope.Assessment.Feedback;

/// <summary>
/// Where a fused score becomes a band: a strength from <see cref="StrengthAt"/>, a growth area below
/// <see cref="GrowthBelow"/>, developing between. The installation's are <see cref="Default"/>; a district may set its own.
/// </summary>
public sealed record SkillBands(double StrengthAt, double GrowthBelow)
{
    public static SkillBands Default { get; } = new(0.65, 0.4);

    public const string Strength = "strength";
    public const string Developing = "developing";
    public const string GrowthArea = "growth_area";

    /// <summary>The band of a fused score: "strength", "developing" or "growth_area".</summary>
    public string Of(double fused) => fused >= StrengthAt ? Strength : fused < GrowthBelow ? GrowthArea : Developing;

    /// <summary>Why these bands cannot work, or null: both inside (0, 1), the growth area's edge below the strength's.</summary>
    public string? Problem() =>
        !double.IsFinite(StrengthAt) || !double.IsFinite(GrowthBelow) || GrowthBelow <= 0 || StrengthAt >= 1 || GrowthBelow >= StrengthAt
            ? $"bands need 0 < growth_below < strength_at < 1 (got growth_below {GrowthBelow.ToString(CultureInfo.InvariantCulture)}, strength_at {StrengthAt.ToString(CultureInfo.InvariantCulture)})"
            : null;
}
