namespace Skillscope.Server.Hosting;

/// <summary><c>Retention</c>: transcripts older than this many days are deleted hourly (0 or less: kept).</summary>
internal sealed class RetentionOptions : ISettings
{
    public const string Section = "Retention";

    public int TranscriptDays { get; set; } = 90;

    /// <summary>Every whole number works: 0 or less turns the deletion off.</summary>
    public string? Problem() => null;
}
