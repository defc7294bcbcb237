namespace Skillscope.Server.Security;

/// <summary>The roles an API key can hold, and the policies endpoints require.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Service = "service";
    public const string Teacher = "teacher";

    /// <summary>Sees cohorts, distributions and trends (aggregates of 10 students or more) and never a student.</summary>
    public const string Analyst = "analyst";

    public static readonly string[] All = [Admin, Service, Teacher, Analyst];

    /// <summary>Policy: manage what every tenant shares — models, fusion weights, jobs, keys, the audit log (admins bound to no district).</summary>
    public const string AdminPolicy = "admin";

    /// <summary>Policy: score features (services and admins, bound to a district or not: features carry no student).</summary>
    public const string ScoringPolicy = "scoring";

    /// <summary>Policy: feed and read the whole system — imports, the feature store, job status (services and admins bound to no district).</summary>
    public const string SystemPolicy = "system";

    /// <summary>Policy: read and assess students (every role; what each reaches is bounded by its district and teacher).</summary>
    public const string StudentsPolicy = "students";

    /// <summary>Policy: compare cohorts from aggregates (admins and analysts; a district's only that district's).</summary>
    public const string CohortsPolicy = "cohorts";

    /// <summary>Policy: erase students (admins; a district's admin only that district's).</summary>
    public const string EraserPolicy = "eraser";

    /// <summary>Policy: manage event subscriptions (admins; a district's admin only that district's).</summary>
    public const string WebhooksPolicy = "webhooks";

    public static void AddPolicies(Microsoft.AspNetCore.Authorization.AuthorizationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder
            .AddPolicy(AdminPolicy, policy => policy.RequireRole(Admin).RequireAssertion(c => ScopeClaims.IsUnbound(c.User)))
            .AddPolicy(ScoringPolicy, policy => policy.RequireRole(Admin, Service))
            .AddPolicy(SystemPolicy, policy => policy.RequireRole(Admin, Service).RequireAssertion(c => ScopeClaims.IsUnbound(c.User)))
            .AddPolicy(StudentsPolicy, policy => policy.RequireRole(Admin, Service, Teacher))
            .AddPolicy(EraserPolicy, policy => policy.RequireRole(Admin))
            .AddPolicy(WebhooksPolicy, policy => policy.RequireRole(Admin))
            .AddPolicy(CohortsPolicy, policy => policy.RequireRole(Admin, Analyst));
    }
}
