namespace Skillscope.Assessment.Roster;

/// <summary>A level of the roster above students: what an export or a "students to check on" list is narrowed to.</summary>
public enum RosterLevel
{
    District,
    School,
    Class,
}

/// <summary>How a roster level is named in codes and messages.</summary>
public static class RosterLevels
{
    /// <summary>"district", "school" or "class".</summary>
    public static string Name(this RosterLevel level) => level switch
    {
        RosterLevel.District => "district",
        RosterLevel.School => "school",
        _ => "class",
    };
}

/// <summary>What an id of the roster may be when a caller names one to look up.</summary>
public static class RosterIdRule
{
    public const int MaxLength = 200;

    /// <summary>1 to <see cref="MaxLength"/> characters, none of them control characters.</summary>
    public static bool IsValid(string? id) => id is { Length: > 0 and <= MaxLength } && !id.Any(char.IsControl);
}
