using Skillscope.Scoring.Serving;

namespace Skillscope.Server.Endpoints;

/// <summary>Liveness and readiness: <c>ok</c>, <c>ready</c> or <c>not_ready</c>.</summary>
internal sealed record HealthStatus(string Status, bool? Models = null);

/// <summary>
/// <c>GET /health/detailed</c>: statuses for anyone; what is served, the LLM's settings and memory only for
/// keys that read the whole system.
/// </summary>
internal sealed record HealthDetail(
    string Status, DatabaseHealth Database, LlmHealth Llm, AlertsHealth Alerts, long? RegistryRevision = null, MemoryUse? Memory = null,
    IReadOnlyList<ServedModelView>? Models = null, IReadOnlyList<LoadFailure>? Failures = null);

/// <summary>Alerts firing (the status is <c>degraded</c> while any does); for system keys, which rules and subjects.</summary>
internal sealed record AlertsHealth(int Firing, IReadOnlyList<string>? Alerts = null);

internal sealed record DatabaseHealth(string Status, string? Kind = null);

/// <summary>The LLM feedback writer: status, and for system keys its mode, model, endpoint and counts.</summary>
internal sealed record LlmHealth(
    string Status, string? Mode = null, string? Reason = null, string? Model = null, string? PromptTokens = null, string? Endpoint = null,
    long? Written = null, long? Fallbacks = null, double? CacheHitRate = null);

/// <summary>Where the process's memory is, in MiB.</summary>
internal sealed record MemoryUse(double ResidentMib, double ManagedHeapMib, double GcCommittedMib, double GcFragmentedMib);

/// <summary>A model this replica serves: its aliases, the versions loaded, and its split.</summary>
internal sealed record ServedModelView(string Name, IReadOnlyDictionary<string, string> Aliases, IReadOnlyList<string> LoadedVersions, IReadOnlyDictionary<string, int>? Split);
