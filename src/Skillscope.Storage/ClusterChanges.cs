namespace Skillscope.Storage;

/// <summary>
/// What one process announces to the others when it changes shared state: the channel and its topics.
/// Listeners treat a topic as "re-read this now"; a missed one is caught up by the periodic poll.
/// </summary>
public static class ClusterChanges
{
    /// <summary>The PostgreSQL channel every Skillscope process listens on.</summary>
    public const string Channel = "skillscope_changes";

    /// <summary>Model versions, aliases or traffic splits changed.</summary>
    public const string Registry = "registry";

    /// <summary>A new version of the fusion weights is in force.</summary>
    public const string Fusion = "fusion";

    /// <summary>A district's own fusion weights or settings changed.</summary>
    public const string Districts = "districts";

    /// <summary>API keys were added or changed: cached key lookups are stale.</summary>
    public const string Keys = "keys";
}
