using Skillscope.Server.Http;
using Skillscope.Server.Security;
using Skillscope.Server.Telemetry;

namespace Skillscope.Server.Endpoints;

/// <summary>Every route of the API, by feature; the dashboard maps its own.</summary>
internal static class ApiEndpoints
{
    public static void MapApi(this WebApplication app, CrmContractOptions crm)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        OpenApiDescription.MapBrowsableDocs(app);
        HealthEndpoints.Map(app);
        PredictEndpoint.Map(app);
        ModelEndpoints.Map(app);
        DriftEndpoints.Map(app);
        ShadowEndpoints.Map(app);
        OutcomeEndpoints.Map(app);
        AlertEndpoints.Map(app);
        FeatureEndpoints.Map(app);
        SkillEndpoints.Map(app);
        StudentEndpoints.Map(app);
        ExportEndpoints.Map(app);
        CohortEndpoints.Map(app);
        Reports.ReportEndpoints.MapApi(app);
        SupportEndpoints.Map(app);
        FusionEndpoints.Map(app);
        DistrictFusionEndpoints.Map(app);
        DistrictSettingsEndpoints.Map(app);
        ImportEndpoints.Map(app);
        JobEndpoints.Map(app);
        KeyEndpoints.Map(app);
        WebhookEndpoints.Map(app);
        LearningEndpoints.Map(app);
        if (crm.Enabled)
        {
            CrmContractEndpoints.Map(app, crm);
        }

        // The exporter maps every method; a scrape is a GET (HEAD too), anything else is 405 as before.
        app.MapPrometheusScrapingEndpoint("/metrics").WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]))
            .WithTags("Health").WithSummary("Prometheus text exposition of every instrument");
        app.MapGet("/api/v1/metrics/summary", (MetricsSummary summary) => Results.Json(new MetricsSummaryResponse(summary.Collect()), JsonDefaults.Options))
            .RequireAuthorization(Roles.AdminPolicy).WithTags("Health").Answers<MetricsSummaryResponse>("Skillscope's own metrics as JSON: totals, or count, sum and mean");
    }
}
