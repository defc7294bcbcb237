using Skillscope.Server.Telemetry;

namespace Skillscope.Server.Endpoints;

/// <summary><c>GET /api/v1/metrics/summary</c>: every Skillscope series with its total, or count, sum and mean.</summary>
internal sealed record MetricsSummaryResponse(IReadOnlyList<MetricSummary> Metrics);
