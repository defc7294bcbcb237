using Skillscope.Server.Hosting;

namespace Skillscope.Server.Dashboard;

/// <summary><c>Dashboard</c>: a session ends this many hours after sign-in, however active.</summary>
public sealed class DashboardOptions : ISettings
{
    public const string Section = "Dashboard";

    public double SessionHours { get; set; } = 12;

    string? ISettings.Problem() => SessionHours is > 0 and <= 24 * 30 ? null : $"{Section}:SessionHours must be more than 0 and at most 720 (it is {SessionHours})";
}
