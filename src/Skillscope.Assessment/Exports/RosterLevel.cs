namespace Skillscope.Assessment.Exports;

/// <summary>A level of the roster an export is narrowed to.</summary>
public enum RosterLevel
{
    District,
    School,
    Class,
}
