using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.Metrics;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Skillscope.Assessment;
using Skillscope.Assessment.Reasoning;
using Skillscope.Scoring.Serving;

namespace Skillscope.Server.Telemetry;

/// <summary>
/// OpenTelemetry for the host. Metrics always: <c>/metrics</c> (Prometheus text) and the JSON summary
/// read them. Traces, metrics and logs go over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> names a
/// collector (environment or configuration; the other standard <c>OTEL_*</c> settings apply); without
/// one no span is made, so requests pay nothing for tracing.
/// </summary>
internal static class TelemetrySetup
{
    /// <summary>The name OpenTelemetry's <see cref="IMetricsListener"/> goes by.</summary>
    private const string OpenTelemetryListener = "OpenTelemetry";

    public static void AddTelemetry(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;

        // Every log line written inside a span names its trace and span (in the JSON scopes and in OTLP records).
        builder.Logging.Configure(logging => logging.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        bool otlp = ExportsOverOtlp(configuration);
        string version = typeof(TelemetrySetup).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

        // Our meters come from this application's IMeterFactory and are enabled for it alone (MeterScope.Local):
        // two hosts in one process (tests) each count their own requests.
        builder.Services.AddMetrics(metrics =>
        {
            foreach (string meter in (string[])[ServerMetrics.MeterName, ModelHost.MeterName, ReasoningMetrics.MeterName])
            {
                metrics.EnableMetrics(meter, instrumentName: null, listenerName: OpenTelemetryListener, scopes: MeterScope.Local);
            }
        });
        builder.Services.AddSingleton<MetricsSummary>();

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "skillscope", serviceVersion: version))
            .WithMetrics(metrics => metrics
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddPrometheusExporter(prometheus =>
                {
                    // Today's exposition: no scope labels or target_info series, and a scrape always sees the latest counts.
                    prometheus.ScopeInfoEnabled = false;
                    prometheus.TargetInfoEnabled = false;
                    prometheus.ScrapeResponseCacheDurationMilliseconds = 0;
                })
                .AddReader(provider => provider.GetRequiredService<MetricsSummary>().Reader));
        if (!otlp)
        {
            return;
        }

        telemetry
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(http =>
                {
                    // Probes and scrapes every few seconds would drown the requests worth reading.
                    http.Filter = context => !context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal)
                        && !context.Request.Path.StartsWithSegments("/metrics", StringComparison.Ordinal);
                })
                // No span for a webhook delivery (alert or event): its URL (a Slack webhook's path is its token) would be exported.
                .AddHttpClientInstrumentation(http => http.FilterHttpRequestMessage = request =>
                    request.Headers.UserAgent.ToString() is var agent
                    && !agent.StartsWith(Alerting.AlertServices.UserAgent, StringComparison.Ordinal) && !agent.StartsWith(Eventing.EventServices.UserAgent, StringComparison.Ordinal))
                .AddNpgsql()
                .AddSource(ServerActivities.SourceName, AssessmentActivities.SourceName))
            .WithLogging(logging => { }, options =>
            {
                options.IncludeScopes = true;
                options.IncludeFormattedMessage = true;
            })
            .UseOtlpExporter();
    }

    /// <summary>
    /// Whether a collector is named. The shared endpoint turns export on for all three signals (a signal's own
    /// endpoint variable then overrides it): a signal-only endpoint would send the others to the default
    /// localhost:4317, and make a span for every request nobody asked for.
    /// </summary>
    private static bool ExportsOverOtlp(ConfigurationManager configuration) => !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
}
