using System.Diagnostics;
using System.Text.Json;
using Skillscope.Scoring.Packages;
using Skillscope.Scoring.Registry;
using Skillscope.Scoring.Serving;
using Skillscope.Server.Http;
using Skillscope.Server.Security;
using Skillscope.Server.Telemetry;

namespace Skillscope.Server.Endpoints;

/// <summary>
/// <c>POST /api/v1/models/{name}/predict</c>: validates every item on its own (one bad row does not fail
/// the others), routes each to its version (explicit, alias, sticky split, or production), scores each
/// version's rows as one batch, and answers in request order.
/// </summary>
internal static class PredictEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/models/{name}/predict", Handle).RequireAuthorization(Roles.ScoringPolicy).WithTags("Scoring")
            .Takes<PredictBody>("""{"rows": [{"tenure": 14, "plan": 2, "tickets": null}], "entity_ids": ["cust-17"], "top_k": 3}""")
            .Answers<PredictResponse>("Score rows (or stored entities by id) with the production version, an alias, a pinned version, or the split",
                example: """{"request_id": "0HN7…", "model": "churn", "schema_version": "1", "model_id": "churn@1.0.0", "model_version": "1.0.0", "model_sha256": "…", "package_sha256": "…", "predictions": [{"index": 0, "entity_id": "cust-17", "model_version": "1.0.0", "score": 0.8312, "coverage": 0.67, "contributions": [{"feature": "tenure", "value": 14, "contribution": -0.41}]}]}""")
            .Refuses(400, "invalid_request", "empty_request", "unknown_field", "invalid_field", "duplicate_id").Refuses(404, "model_not_found", "version_not_found", "alias_not_found")
            .Refuses(413, "too_many_items").Refuses(422, "no_item_scored").Refuses(503, "model_not_loaded");

    private static async Task<IResult> Handle(HttpContext context, string name, ModelHost host, IRegistryStore store, IFeatureStore features, ServerMetrics metrics)
    {
        var (response, problem) = await ScoreAsync(context, name, host, store, features, metrics, PredictRequest.Parse, validationStatus: 400).ConfigureAwait(false);
        return response is null ? problem! : new GeneratedJsonResult<PredictResponse>(response, PredictJson.Api.PredictResponse);
    }

    /// <summary>
    /// Reads a request with <paramref name="parse"/> and scores it: the answer, or the problem to answer with
    /// (a request that is not valid with <paramref name="validationStatus"/>). Other contracts over the same
    /// scoring shape the answer their own way.
    /// </summary>
    public static async Task<(PredictResponse? Response, IResult? Problem)> ScoreAsync(HttpContext context, string name, ModelHost host, IRegistryStore store,
        IFeatureStore features, ServerMetrics metrics, Func<JsonElement, (PredictRequest? Request, int Status, string? Code, string? Message)> parse, int validationStatus)
    {
        long started = Stopwatch.GetTimestamp();
        var (document, bodyProblem) = await RequestBody.ReadJsonAsync(context, maxDepth: 16, requireJsonMediaType: true, requireObject: false).ConfigureAwait(false);
        if (document is null)
        {
            return (null, bodyProblem!);
        }

        using (document)
        {
            var (request, status, code, message) = parse(document.RootElement);
            if (request is null)
            {
                return (null, Problems.Of(context, status == 400 ? validationStatus : status, code!, message!));
            }

            var catalog = host.Catalog;
            if (!catalog.Models.TryGetValue(name, out var served))
            {
                bool registered = (await store.ListVersionsAsync(name, context.RequestAborted).ConfigureAwait(false)).Count > 0;
                return (null, registered
                    ? Problems.Of(context, 503, "model_not_loaded", $"{name} is registered but no version of it is served; promote one")
                    : Problems.Of(context, 404, "model_not_found", $"no model named \"{name}\""));
            }

            LoadedModel? pinned = null;
            if (request.Version is { } version)
            {
                try
                {
                    pinned = served.Versions.GetValueOrDefault(version) ?? await host.LoadVersionAsync(name, version, context.RequestAborted).ConfigureAwait(false);
                }
                catch (PackageException exception)
                {
                    return (null, Problems.Of(context, 503, "model_not_loaded", exception.Message));
                }

                if (pinned is null)
                {
                    return (null, Problems.Of(context, 404, "version_not_found", $"{name} has no version {version}"));
                }
            }
            else if (request.Alias is { } alias)
            {
                pinned = served.Aliases.GetValueOrDefault(alias);
                if (pinned is null)
                {
                    return (null, Problems.Of(context, 404, "alias_not_found", $"{name} has no alias \"{alias}\""));
                }
            }

            var primary = pinned ?? served.Resolve(null, null, null);
            if (primary is null && served.Split is null)
            {
                return (null, Problems.Of(context, 503, "model_not_loaded", $"{name} has no loaded production version"));
            }

            var rows = new JsonElement?[request.Count];
            var looked = new List<JsonDocument>();
            try
            {
                if (request.ByIds)
                {
                    var found = await features.GetFeaturesAsync(name, request.EntityIds!, context.RequestAborted).ConfigureAwait(false);
                    for (int i = 0; i < rows.Length; i++)
                    {
                        if (found.TryGetValue(request.EntityIds[i]!, out var json))
                        {
                            var stored = JsonDocument.Parse(json);
                            looked.Add(stored);
                            rows[i] = stored.RootElement;
                        }
                    }
                }
                else
                {
                    for (int i = 0; i < rows.Length; i++)
                    {
                        rows[i] = request.Rows[i];
                    }
                }

                var result = Score(context, name, served, pinned, primary, request, rows, metrics);
                if (primary is not null)
                {
                    metrics.PredictDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                        new KeyValuePair<string, object?>("model", name), new KeyValuePair<string, object?>("version", primary.Version));
                }

                return result;
            }
            finally
            {
                foreach (var stored in looked)
                {
                    stored.Dispose();
                }
            }
        }
    }

    private static (PredictResponse? Response, IResult? Problem) Score(HttpContext context, string name, ServedModel served, LoadedModel? pinned, LoadedModel? primary, PredictRequest request, JsonElement?[] items, ServerMetrics metrics)
    {
        int count = items.Length;
        var predictions = new PredictionResult[count];
        var batches = new BatchScorer<int>();
        for (int i = 0; i < count; i++)
        {
            var model = pinned ?? served.Resolve(null, null, request.EntityIds[i]);
            if (model is null)
            {
                predictions[i] = PredictionResult.Failed(i, request.EntityIds[i], null, "model_not_loaded", $"no version of {name} serves this item");
                continue;
            }

            if (items[i] is not { } item)
            {
                predictions[i] = PredictionResult.Failed(i, request.EntityIds[i], model.Version, "entity_not_found", $"no stored features for \"{request.EntityIds[i]}\"");
                continue;
            }

            var row = model.Preparer.Prepare(item);
            if (row.Error is { } error)
            {
                predictions[i] = PredictionResult.Failed(i, request.EntityIds[i], model.Version, error.Code, error.Message);
                continue;
            }

            predictions[i] = new PredictionResult(i, request.EntityIds[i], model.Version, null, null, row.Coverage, null, row.Warnings.Count > 0 ? row.Warnings : null, null);
            batches.Add(model, i, row.Values);
        }

        // The score each entity got, and from which version, for outcomes reported later (none while monitoring is off).
        var outcomes = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Hosting.MonitoringOptions>>().Value.Enabled
            ? context.RequestServices.GetRequiredService<Scoring.Monitoring.ModelMonitor>().Predictions
            : null;
        var named = outcomes is null ? null : new List<(string, string, float)>();
        batches.Score(
            (model, index, values, scores, _, top) =>
            {
                predictions[index] = predictions[index] with
                {
                    Score = scores.Length == 1 ? scores[0] : null,
                    Scores = scores.Length == 1 ? null : scores.ToArray(),
                    Contributions = request.TopK > 0 ? top : null,
                };
                if (named is not null && scores.Length == 1 && request.EntityIds[index] is { } entity)
                {
                    named.Add((entity, model.Version, scores[0]));
                }
            },
            (model, rows) => metrics.ItemsScored.Add(rows, new KeyValuePair<string, object?>("model", name), new KeyValuePair<string, object?>("version", model.Version)),
            topContributions: request.TopK);

        if (named is { Count: > 0 })
        {
            outcomes!.Add(name, named);
        }

        foreach (var failed in predictions)
        {
            if (failed.Error is { } itemError)
            {
                metrics.Rejections.Add(1, new KeyValuePair<string, object?>("code", itemError.Code));
            }
        }

        if (batches.IsEmpty)
        {
            return (null, Problems.Of(context, 422, "no_item_scored", "no item could be scored; see \"errors\"", new Dictionary<string, object?>
            {
                ["errors"] = predictions.Select(p => new { index = p.Index, code = p.Error!.Code, message = p.Error.Message }).ToArray(),
            }));
        }

        var reference = primary ?? batches.Models.First();
        return (new PredictResponse(
            RequestIds.Of(context), name, reference.Package.Schema.SchemaVersion, reference.Id, reference.Version, reference.Package.ModelSha256,
            reference.Package.Sha256, reference.Package.Calibration is { } calibration ? new CalibrationInfo(calibration.Method) : null, predictions), null);
    }
}
