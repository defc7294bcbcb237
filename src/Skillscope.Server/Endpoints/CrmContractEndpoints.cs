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

    /// <summary>
    /// Reads the <c>Crm</c> settings while the host is built (they decide which routes exist) and, when the
    /// contract is on, allows its browser origins.
    /// </summary>
    /// <exception cref="FormatException">A setting cannot be used; the message names it.</exception>
    public static CrmContractOptions AddCrmContract(this WebApplicationBuilder builder)
    {
        var crm = builder.Configuration.GetSection(CrmContractOptions.Section).Get<CrmContractOptions>() ?? new CrmContractOptions();
        if (!crm.Enabled)
        {
            return crm;
        }

        if (crm.Problem() is { } problem)
        {
            throw new FormatException(problem);
        }

        builder.Services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
            .WithOrigins(crm.AllowedOrigins).WithMethods("GET", "POST").WithHeaders("Authorization", "Content-Type", RequestIds.Header).WithExposedHeaders(RequestIds.Header)));
        return crm;
    }

    public static void Map(WebApplication app, CrmContractOptions options)
    {
        var group = app.MapGroup("/ai/advanced-ml").RequireCors(CorsPolicy).WithTags("CRM contract");
        group.MapGet("/health", (ModelHost host) => Health(host, options.Model))
            .Answers<CrmHealth>("Whether the lead model is served, and which version").Produces<CrmHealth>(503);
        group.MapGet("/models", (ModelHost host) => Models(host, options.Model)).RequireAuthorization(Roles.ScoringPolicy)
            .Answers<CrmModels>("Every loaded version of the lead model, with its schema and calibration");
        group.MapPost("/predict-batch", (HttpContext context, ModelHost host, IRegistryStore store, IFeatureStore features, ServerMetrics metrics) =>
            PredictBatchAsync(context, options.Model, host, store, features, metrics)).RequireAuthorization(Roles.ScoringPolicy)
            .Takes<CrmPredictBody>("""{"lead_ids": ["lead-1", "lead-2"]}""")
            .Answers<CrmPredictResponse>("Score stored leads by id: a calibrated score and a confidence per lead")
            .Refuses(413, "too_many_items").Refuses(422, "invalid_request", "empty_request", "unknown_field", "invalid_field", "duplicate_id", "no_item_scored")
            .Refuses(503, "model_not_loaded");
    }

    private static IResult Health(ModelHost host, string model)
    {
        // What a lead without a pinned version is scored by: production, else a version of the split.
        var served = host.Catalog.Models.GetValueOrDefault(model);
        var serving = served?.Aliases.GetValueOrDefault(ModelRegistry.Production)
            ?? (served?.Split is { } split ? split.Shares.Select(s => served.Versions.GetValueOrDefault(s.Version)).FirstOrDefault(v => v is not null) : null);
        return serving is null
            ? Results.Json(new CrmHealth("unavailable", ContractVersion, model, Reason: $"no version of {model} is loaded to serve; promote one"), JsonDefaults.Options, statusCode: 503)
            : Results.Json(new CrmHealth("ok", ContractVersion, model, null, serving.Id, serving.Version, serving.Package.ModelSha256, served!.Split is not null,
                Calibration(serving.Package.Calibration?.Method)), JsonDefaults.Options);
    }

    private static IResult Models(ModelHost host, string model)
    {
        var served = host.Catalog.Models.GetValueOrDefault(model);
        CrmModelView[] versions = served is null ? [] : [.. served.Versions.Values.OrderBy(v => v.Record.RegisteredAt).Select(v => new CrmModelView(
            v.Id, v.Name, v.Version, served.Aliases.Where(a => a.Value == v).Select(a => a.Key).Order(StringComparer.Ordinal).ToArray(),
            v.Package.ModelSha256, v.Package.Sha256, v.Package.Schema.SchemaVersion, v.Package.Schema.Features.Count, v.Package.Schema.MinimumCoverage,
            Calibration(v.Package.Calibration?.Method), v.Package.Metadata.Created, v.Package.Metadata.Description))];
        return Results.Json(new CrmModels(ContractVersion, SchemaVersion, versions), JsonDefaults.Options);
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
