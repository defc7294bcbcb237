namespace Skillscope.Assessment.Support;

/// <summary>
/// Why a student is worth checking on: <see cref="Code"/> (<c>growth_areas</c>, <c>band_drop</c>,
/// <c>needs_evidence</c>), the skills concerned, and a sentence a teacher reads.
/// </summary>
public sealed record CheckOnReason(string Code, IReadOnlyList<string> Skills, string Text)
{
    public const string GrowthAreas = "growth_areas";
    public const string BandDrop = "band_drop";
    public const string NeedsEvidence = "needs_evidence";
}

/// <summary>A student to check on, and every reason.</summary>
public sealed record StudentToCheckOn(string StudentId, string FirstName, string LastName, string ClassId, IReadOnlyList<CheckOnReason> Reasons);
