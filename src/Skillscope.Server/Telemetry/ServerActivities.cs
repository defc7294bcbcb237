using System.Diagnostics;

namespace Skillscope.Server.Telemetry;

/// <summary>Spans the host starts itself (a batch job as run by this replica); requests get theirs from ASP.NET Core.</summary>
internal static class ServerActivities
{
    public const string SourceName = "Skillscope.Server";

    // An ActivitySource is immutable and lives as long as the process: one per layer is the convention.
    public static readonly ActivitySource Source = new(SourceName);
}
