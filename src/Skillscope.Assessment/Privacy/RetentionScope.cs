namespace Skillscope.Assessment.Privacy;

/// <summary>
/// Whose transcripts a retention period applies to: one district's students (a district that set its own period),
/// or every student but those of the districts listed (the installation's period, for everyone else).
/// </summary>
public sealed record RetentionScope(string? District, IReadOnlyList<string> ExceptDistricts)
{
    public static RetentionScope OfDistrict(string district) => new(district, []);

    public static RetentionScope Except(IReadOnlyList<string> districts) => new(null, districts);
}
