using Skillscope.Server.Hosting;

namespace Skillscope.Server.Reports;

/// <summary><c>Reports</c>: where the PDF reports' fonts are (DejaVu Sans); unset, the system's usual font folders are searched.</summary>
public sealed class ReportOptions : ISettings
{
    public const string Section = "Reports";

    public string? FontDirectory { get; set; }

    /// <summary>Most students a class bundle holds (a bigger class is refused rather than built for minutes).</summary>
    public int MaxBundle { get; set; } = 100;

    string? ISettings.Problem() =>
        FontDirectory is { Length: > 0 } directory && !Directory.Exists(directory) ? $"{Section}:FontDirectory \"{directory}\" is not a folder"
        : MaxBundle is < 1 or > 1_000 ? $"{Section}:MaxBundle must be from 1 to 1000 (it is {MaxBundle})"
        : null;
}
