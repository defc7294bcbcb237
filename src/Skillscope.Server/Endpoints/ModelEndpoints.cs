using System.Text.Json;
using Skillscope.Scoring.Packages;
using Skillscope.Scoring.Registry;
using Skillscope.Scoring.Serving;
using Skillscope.Server.Http;
using Skillscope.Server.Security;

namespace Skillscope.Server.Endpoints;

/// <summary>The registry through the API: list, show, register (a zipped package), promote, roll back, split, audit.</summary>
internal static class ModelEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var models = app.MapGroup("/api/v1/models").RequireAuthorization(Roles.AdminPolicy).WithTags("Model registry");
        models.MapGet("", List).Answers<ModelList>("Every registered model: versions, aliases, split, load failures");
        models.MapGet("/{name}", Show).Answers<ModelSummary>("One model: versions, aliases, split, load failures")
            .Refuses(404, "model_not_found");
        models.MapPost("", Register).Accepts<byte[]>("application/zip").Answers<RegisteredModel>("Register a zipped model package as a new, immutable version", 201)
            .Refuses(400, "package_invalid", "manifest_missing", "manifest_invalid", "model_missing", "model_invalid", "schema_invalid", "schema_mismatch",
                "scaler_invalid", "calibrator_invalid", "metadata_invalid", "smoke_test_failed", "invalid_name", "invalid_version", "bad_request")
            .Refuses(409, "version_exists").Refuses(413, "package_too_large", "body_too_large").Refuses(415, "unsupported_media_type");
        models.MapPost("/{name}/promote", Promote).TakesAnyMediaType<PromoteRequest>("""{"version": "1.1.0", "alias": "production"}""")
            .Answers<AliasView>("Point an alias (production by default) at a version; every replica serves it within seconds")
            .Refuses(400, "invalid_request", "invalid_alias").Refuses(404, "version_not_found");
        models.MapPost("/{name}/rollback", Rollback).TakesAnyMediaType<RollbackRequest>("""{"to": "1.0.0", "from": "1.1.0"}""", optional: true)
            .Answers<AliasView>("Move an alias back: to the version before, or to a named one")
            .Refuses(400, "invalid_alias").Refuses(404, "alias_not_found", "version_not_found").Refuses(409, "nothing_to_roll_back", "alias_changed");
        models.MapPut("/{name}/split", Split).TakesAnyMediaType<SplitRequest>("""{"shares": {"1.0.0": 90, "1.1.0": 10}, "guard": {"max_error_rate": 0.05, "min_auc_delta": -0.02, "min_outcomes": 200}}""")
            .Answers<SplitView>("Split traffic between versions by whole percents, sticky by entity id")
            .Refuses(400, "invalid_request", "invalid_split", "invalid_guard").Refuses(404, "version_not_found");
        app.MapGet("/api/v1/audit", Audit).RequireAuthorization(Roles.AdminPolicy).WithTags("Model registry")
            .Answers<AuditList>("The latest audit log entries (limit: 1 to 1,000, default 100)");
    }

    private static async Task<IResult> List(IRegistryStore store, ModelHost host, CancellationToken cancellation)
    {
        var versions = await store.ListVersionsAsync(null, cancellation).ConfigureAwait(false);
        var aliases = await store.ListAliasesAsync(null, cancellation).ConfigureAwait(false);
        var splits = await store.ListSplitsAsync(cancellation).ConfigureAwait(false);
        var names = versions.Select(v => v.Name).Distinct(StringComparer.Ordinal);
        return Results.Json(new ModelList(names.Select(n => Summary(n, versions, aliases, splits, host.Catalog)).ToArray()), JsonDefaults.Options);
    }

    private static async Task<IResult> Show(HttpContext context, string name, IRegistryStore store, ModelHost host, CancellationToken cancellation)
    {
        var versions = await store.ListVersionsAsync(name, cancellation).ConfigureAwait(false);
        if (versions.Count == 0)
        {
            return Problems.Of(context, 404, "model_not_found", $"no model named \"{name}\"");
        }

        var aliases = await store.ListAliasesAsync(name, cancellation).ConfigureAwait(false);
        var splits = await store.ListSplitsAsync(cancellation).ConfigureAwait(false);
        return Results.Json(Summary(name, versions, aliases, splits, host.Catalog), JsonDefaults.Options);
    }

    private const long MaxPackageUploadBytes = 256L << 20;

    private static async Task<IResult> Register(HttpContext context, ModelRegistry registry, ModelHost host)
    {
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxPackageUploadBytes;
        }

        using var buffer = new MemoryStream();
        try
        {
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException exception)
        {
            return RequestBody.Unreadable(context, exception);
        }

        buffer.Position = 0;
        return await Run(context, host, async () =>
        {
            var package = ModelPackage.FromZip(buffer);
            var record = await registry.RegisterAsync(package, Actors.Of(context), context.RequestAborted).ConfigureAwait(false);
            return Results.Json(new RegisteredModel(record.Name, record.Version, record.Sha256, record.ModelSha256), JsonDefaults.Options, statusCode: 201);
        }).ConfigureAwait(false);
    }

    private static async Task<IResult> Promote(HttpContext context, string name, ModelRegistry registry, ModelHost host)
    {
        var body = await ReadObject(context).ConfigureAwait(false);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        string? version = body.String("version");
        if (version is null)
        {
            return Problems.Of(context, 400, "invalid_request", "send {\"version\": \"1.0.0\", \"alias\": \"production\"} (alias optional)");
        }

        return await Run(context, host, async () => Results.Json(
            AliasView.Of(await registry.PromoteAsync(name, version, Actors.Of(context), body.String("alias") ?? ModelRegistry.Production, context.RequestAborted).ConfigureAwait(false)),
            JsonDefaults.Options)).ConfigureAwait(false);
    }

    private static async Task<IResult> Rollback(HttpContext context, string name, ModelRegistry registry, ModelHost host)
    {
        var body = await ReadObject(context, optional: true).ConfigureAwait(false);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        return await Run(context, host, async () => Results.Json(
            AliasView.Of(await registry.RollbackAsync(name, Actors.Of(context), body.String("alias") ?? ModelRegistry.Production, body.String("to"), body.String("from"), context.RequestAborted).ConfigureAwait(false)),
            JsonDefaults.Options)).ConfigureAwait(false);
    }

    private static async Task<IResult> Split(HttpContext context, string name, ModelRegistry registry, ModelHost host)
    {
        var body = await ReadObject(context).ConfigureAwait(false);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        if (!body.Root.TryGetProperty("shares", out var sharesElement) || sharesElement.ValueKind != JsonValueKind.Object)
        {
            return Problems.Of(context, 400, "invalid_request", "send {\"shares\": {\"1.0.0\": 90, \"1.1.0\": 10}}; {\"shares\": {}} removes the split");
        }

        var shares = new List<SplitShare>();
        foreach (var share in sharesElement.EnumerateObject())
        {
            if (share.Value.ValueKind != JsonValueKind.Number || !share.Value.TryGetInt32(out int percent))
            {
                return Problems.Of(context, 400, "invalid_split", $"the share of {share.Name} must be a whole percent");
            }

            shares.Add(new SplitShare(share.Name, percent));
        }

        SplitGuard? guard = null;
        if (body.Root.TryGetProperty("guard", out var guardElement) && guardElement.ValueKind != JsonValueKind.Null)
        {
            if (guardElement.ValueKind != JsonValueKind.Object
                || !TryNumber(guardElement, "max_error_rate", out double? maxErrorRate) || !TryNumber(guardElement, "min_auc_delta", out double? minAucDelta)
                || !TryNumber(guardElement, "min_outcomes", out double? minOutcomes) || minOutcomes is { } m && (m != Math.Floor(m) || m > int.MaxValue))
            {
                return Problems.Of(context, 400, "invalid_guard", "guard is {\"max_error_rate\": 0.05, \"min_auc_delta\": -0.02, \"min_outcomes\": 200}, numbers, each optional");
            }

            guard = new SplitGuard(maxErrorRate, minAucDelta, minOutcomes is { } outcomes ? (int)outcomes : SplitGuard.DefaultMinOutcomes);
        }

        return await Run(context, host, async () =>
        {
            var split = await registry.SplitAsync(name, shares, Actors.Of(context), guard, context.RequestAborted).ConfigureAwait(false);
            return Results.Json(new SplitView(split.Name, split.Shares.ToDictionary(s => s.Version, s => s.Percent),
                split.Guard is { } set ? new SplitGuardView(set.MaxErrorRate, set.MinAucDelta, set.MinOutcomes) : null), JsonDefaults.Options);
        }).ConfigureAwait(false);
    }

    private static bool TryNumber(JsonElement parent, string name, out double? value)
    {
        value = null;
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Number)
        {
            return false;
        }

        value = element.GetDouble();
        return true;
    }

    private static async Task<IResult> Audit(IRegistryStore store, int? limit, CancellationToken cancellation)
    {
        var entries = await store.ListAuditAsync(Math.Clamp(limit ?? 100, 1, 1000), cancellation).ConfigureAwait(false);
        return Results.Json(new AuditList([.. entries.Select(Skillscope.Scoring.Alerts.AlertRulesAudit.Shown)]), JsonDefaults.Options);
    }

    /// <summary>Runs a registry change, maps its refusals to problem details, and serves the result at once.</summary>
    internal static async Task<IResult> Run(HttpContext context, ModelHost host, Func<Task<IResult>> change)
    {
        try
        {
            var result = await change().ConfigureAwait(false);
            await host.RefreshAsync(cancellation: context.RequestAborted).ConfigureAwait(false);
            return result;
        }
        catch (RegistryException exception)
        {
            int status = exception.Code switch
            {
                "version_not_found" or "alias_not_found" or "model_not_found" => 404,
                "version_exists" or "nothing_to_roll_back" or "alias_changed" => 409,
                _ => 400,
            };
            return Problems.Of(context, status, exception.Code, exception.Message);
        }
        catch (PackageException exception)
        {
            return Problems.Of(context, exception.Code is "package_too_large" ? 413 : 400, exception.Code, exception.Message);
        }
    }

    private static async Task<(JsonElement Root, IResult? Problem, Func<string, string?> String)> ReadBody(HttpContext context, bool optional)
    {
        static string? None(string _) => null;
        if (optional && context.Request.ContentLength is 0 or null && context.Request.Headers.TransferEncoding.Count == 0)
        {
            return (default, null, None);
        }

        var (document, problem) = await RequestBody.ReadJsonAsync(context, maxDepth: 8, requireJsonMediaType: false, requireObject: true).ConfigureAwait(false);
        if (document is null)
        {
            return (default, problem, None);
        }

        using (document)
        {
            var root = document.RootElement.Clone();
            return (root, null, key => root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null);
        }
    }

    internal static async Task<JsonBody> ReadObject(HttpContext context, bool optional = false)
    {
        var (root, problem, read) = await ReadBody(context, optional).ConfigureAwait(false);
        return new JsonBody(root, problem, read);
    }

    private static ModelSummary Summary(string name, IReadOnlyList<ModelVersionRecord> versions, IReadOnlyList<AliasRecord> aliases, IReadOnlyList<TrafficSplit> splits, ModelCatalog catalog)
    {
        catalog.Models.TryGetValue(name, out var served);
        return new ModelSummary(
            name,
            versions.Where(v => v.Name == name).Select(v => new ModelVersionView(
                v.Version, v.Sha256, v.ModelSha256, v.RegisteredAt, v.RegisteredBy, served?.Versions.ContainsKey(v.Version) ?? false,
                JsonDocument.Parse(v.MetadataJson).RootElement.Clone())).ToArray(),
            aliases.Where(a => a.Name == name).ToDictionary(a => a.Alias, a => a.Version),
            splits.FirstOrDefault(s => s.Name == name)?.Shares.ToDictionary(s => s.Version, s => s.Percent),
            catalog.Failures.Where(f => f.Name == name).ToArray());
    }

    internal sealed record JsonBody(JsonElement Root, IResult? Problem, Func<string, string?> String);
}
