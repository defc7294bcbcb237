using Skillscope.Scoring.Serving;
using Skillscope.Server.Http;
using Skillscope.Server.Telemetry;
using Skillscope.Server.Security;
using Skillscope.Scoring.Registry;

namespace Skillscope.Server.Endpoints;

/// <summary>
/// The CRM's own contract for its lead-conversion model (seed 004), as an optional route group
/// (<c>Crm:Enabled</c>): <c>GET /ai/advanced-ml/health</c>, <c>GET /ai/advanced-ml/models</c> and
/// <c>POST /ai/advanced-ml/predict-batch</c>, which takes a bare array of lead ids, <c>{"lead_ids": [...]}</c>
/// or the generic scoring body, and answers with <c>contract_version</c> 1, <c>schema_version</c> "v1" (the
/// answer's shape; the model's feature schema has its own, <c>feature_schema_version</c>),
/// the model's id and hashes, its calibration and a score and confidence per lead. Scoring is the generic
/// endpoint's (<see cref="PredictEndpoint"/>): the same routing, feature safety and errors, in this shape;
/// validation errors answer 422 as the contract says. The CRM's browser front end may call it from the
/// origins <c>Crm:AllowedOrigins</c> lists (CORS).
/// </summary>
internal static class CrmContractEndpoints
{
    public const int ContractVersion = 1;

    /// <summary>The version of the answer's shape, as the contract writes it.</summary>
    public const string SchemaVersion = "v1";

    public const string CorsPolicy = "crm";

    public static void Map(WebApplication app, CrmContractOptions options)
    {
        var group = app.MapGroup("/ai/advanced-ml").RequireCors(CorsPolicy).WithTags("CRM contract");
        group.MapGet("/health", (ModelHost host) => Health(host, options.Model));
        group.MapGet("/models", (ModelHost host) => Models(host, options.Model)).RequireAuthorization(Roles.ScoringPolicy);
        group.MapPost("/predict-batch", (HttpContext context, ModelHost host, IRegistryStore store, IFeatureStore features, ServerMetrics metrics) =>
            PredictBatchAsync(context, options.Model, host, store, features, metrics)).RequireAuthorization(Roles.ScoringPolicy);
    }

    private static IResult Health(ModelHost host, string model)
    {
        // What a lead without a pinned version is scored by: production, else a version of the split.
        var served = host.Catalog.Models.GetValueOrDefault(model);
        var serving = served?.Aliases.GetValueOrDefault(ModelRegistry.Production)
            ?? (served?.Split is { } split ? split.Shares.Select(s => served.Versions.GetValueOrDefault(s.Version)).FirstOrDefault(v => v is not null) : null);
        return serving is null
            ? Results.Json(new { status = "unavailable", contract_version = ContractVersion, model, reason = $"no version of {model} is loaded to serve; promote one" },
                JsonDefaults.Options, statusCode: 503)
            : Results.Json(new
            {
                status = "ok",
                contract_version = ContractVersion,
                model,
                model_id = serving.Id,
                model_version = serving.Version,
                model_sha256 = serving.Package.ModelSha256,
                split = served!.Split is not null,
                calibration_metadata = Calibration(serving.Package.Calibration?.Method),
            }, JsonDefaults.Options);
    }

    private static IResult Models(ModelHost host, string model)
    {
        var served = host.Catalog.Models.GetValueOrDefault(model);
        var versions = served is null ? [] : served.Versions.Values.OrderBy(v => v.Record.RegisteredAt).Select(v => new
        {
            model_id = v.Id,
            name = v.Name,
            version = v.Version,
            aliases = served.Aliases.Where(a => a.Value == v).Select(a => a.Key).Order(StringComparer.Ordinal).ToArray(),
            model_sha256 = v.Package.ModelSha256,
            package_sha256 = v.Package.Sha256,
            feature_schema_version = v.Package.Schema.SchemaVersion,
            features = v.Package.Schema.Features.Count,
            minimum_coverage = v.Package.Schema.MinimumCoverage,
            calibration_metadata = Calibration(v.Package.Calibration?.Method),
            created = v.Package.Metadata.Created,
            description = v.Package.Metadata.Description,
        }).ToArray();
        return Results.Json(new { contract_version = ContractVersion, schema_version = SchemaVersion, models = versions }, JsonDefaults.Options);
    }

    private static async Task<IResult> PredictBatchAsync(HttpContext context, string model, ModelHost host, IRegistryStore store, IFeatureStore features, ServerMetrics metrics)
    {
        // The contract knows one model: its absence is "not ready" (503), not the generic API's "no such model".
        if (!host.Catalog.Models.ContainsKey(model))
        {
            return Problems.Of(context, 503, "model_not_loaded", $"{model} is not served yet; register and promote a version of it");
        }

        var (response, problem) = await PredictEndpoint.ScoreAsync(context, model, host, store, features, metrics, PredictRequest.ParseLeads, validationStatus: 422)
            .ConfigureAwait(false);
        if (response is null)
        {
            return problem!;
        }

        return Results.Json(new CrmPredictResponse(
            ContractVersion,
            SchemaVersion,
            response.SchemaVersion,
            response.RequestId,
            response.ModelId,
            response.ModelVersion,
            response.ModelSha256,
            Calibration(response.Calibration?.Method),
            [.. response.Predictions.Select(Lead)]), JsonDefaults.Options);
    }

    /// <summary>
    /// One lead's answer. Confidence is how decided the calibrated probability is (0 at 0.5, 1 at 0 or 1),
    /// scaled by the share of the model's features the lead had: a score from half the features counts half.
    /// </summary>
    private static CrmPrediction Lead(PredictionResult result) =>
        (result.Score, result.Error) switch
        {
            ({ } score, _) => new CrmPrediction(result.EntityId, score, Math.Round(Math.Abs((2 * score) - 1) * (result.Coverage ?? 0), 4), result.Coverage, result.ModelVersion, result.Warnings, null),
            (null, { } error) => new CrmPrediction(result.EntityId, null, null, result.Coverage, result.ModelVersion, result.Warnings, error),

            // A model with several outputs (multi-class) gives no single probability of conversion.
            _ => new CrmPrediction(result.EntityId, null, null, result.Coverage, result.ModelVersion, result.Warnings,
                new ItemError("not_a_probability", "the model has several outputs, not one probability; the generic endpoint returns them")),
        };

    private static CrmCalibration Calibration(string? method) => new(method is not null, method);
}

/// <summary>The contract's answer to <c>predict-batch</c>.</summary>
internal sealed record CrmPredictResponse(
    int ContractVersion, string SchemaVersion, string FeatureSchemaVersion, string RequestId, string ModelId, string ModelVersion, string ModelSha256,
    CrmCalibration CalibrationMetadata, IReadOnlyList<CrmPrediction> Predictions);

/// <summary>Whether scores are calibrated probabilities, and how (<c>sigmoid</c> or <c>isotonic</c>).</summary>
internal sealed record CrmCalibration(bool Calibrated, string? Method);

/// <summary>One lead: its score and confidence, or why it has none.</summary>
internal sealed record CrmPrediction(string? LeadId, float? Score, double? Confidence, double? Coverage, string? ModelVersion, IReadOnlyList<string>? Warnings, ItemError? Error);
