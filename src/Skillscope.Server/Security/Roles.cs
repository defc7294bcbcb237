namespace Skillscope.Server.Security;

/// <summary>The roles an API key can hold, and the policies endpoints require.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Service = "service";
    public const string Teacher = "teacher";

    public static readonly string[] All = [Admin, Service, Teacher];

    /// <summary>Policy: manage models, keys and the audit log.</summary>
    public const string AdminPolicy = "admin";

    /// <summary>Policy: score (services and admins).</summary>
    public const string ScoringPolicy = "scoring";
}
