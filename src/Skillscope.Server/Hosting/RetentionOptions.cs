namespace Skillscope.Server.Hosting;

/// <summary><c>Retention</c>: transcripts older than this many days are deleted hourly (0: kept).</summary>
internal sealed class RetentionOptions : ISettings
{
    public const string Section = "Retention";

    public int TranscriptDays { get; set; } = 90;

    public string? Problem() => TranscriptDays < 0 ? $"{Section}:TranscriptDays must be 0 (keep) or more (it is {TranscriptDays})" : null;
}
