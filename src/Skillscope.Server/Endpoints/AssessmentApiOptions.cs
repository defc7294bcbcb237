using Skillscope.Server.Hosting;

namespace Skillscope.Server.Endpoints;

/// <summary><c>Assessment</c>: how many students one <c>POST /api/v1/assessments/batch</c> may assess.</summary>
internal sealed class AssessmentApiOptions : ISettings
{
    public const string Section = "Assessment";

    public int MaxBatch { get; set; } = 100;

    public string? Problem() => MaxBatch is < 1 or > 2_000 ? $"{Section}:MaxBatch must be between 1 and 2,000 (it is {MaxBatch})" : null;
}
