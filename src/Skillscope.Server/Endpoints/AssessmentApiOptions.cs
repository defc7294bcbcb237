using Skillscope.Server.Hosting;

namespace Skillscope.Server.Endpoints;

/// <summary><c>Assessment</c>: how many students one <c>POST /api/v1/assessments/batch</c> may assess.</summary>
internal sealed class AssessmentApiOptions : ISettings
{
    public const string Section = "Assessment";

    public int MaxBatch { get; set; } = 100;

    public string? Problem() => MaxBatch < 1 ? $"{Section}:MaxBatch must be 1 or more (it is {MaxBatch})" : null;
}
