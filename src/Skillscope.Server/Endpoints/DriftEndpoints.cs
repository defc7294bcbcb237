using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Skillscope.Scoring.Monitoring;
using Skillscope.Scoring.Registry;
using Skillscope.Scoring.Serving;
using Skillscope.Server.Hosting;
using Skillscope.Server.Http;
using Skillscope.Server.Security;

namespace Skillscope.Server.Endpoints;

/// <summary>Drift of a served version's inputs and scores against its reference, from every replica's counts.</summary>
internal static partial class DriftEndpoints
{
    public const string BuildingReference = "building_reference";

    private static readonly TimeSpan LongestWindow = TimeSpan.FromDays(90);

    public static void Map(IEndpointRouteBuilder app)
    {
        var models = app.MapGroup("/api/v1/models").RequireAuthorization(Roles.AdminPolicy).WithTags("Monitoring");
        models.MapGet("/{name}/drift", Drift)
            .Answers<DriftResponse>("Drift of a version (production by default) over a window (24h by default; hours or days, up to 90d): each feature's and the score's population stability index and Jensen–Shannon distance against the version's reference")
            .Refuses(400, "invalid_window").Refuses(404, "model_not_found", "version_not_found");
    }

    private static async Task<IResult> Drift(HttpContext context, string name, string? version, string? window, IRegistryStore store, ModelHost host, ModelMonitor monitor,
        IOptions<MonitoringOptions> options)
    {
        var cancellation = context.RequestAborted;
        string windowText = string.IsNullOrWhiteSpace(window) ? "24h" : window.Trim();
        if (ParseWindow(windowText) is not { } span)
        {
            return Problems.Of(context, 400, "invalid_window", $"window \"{windowText}\" is not a number of hours or days such as 24h or 7d (at most 90d)");
        }

        var versions = await store.ListVersionsAsync(name, cancellation).ConfigureAwait(false);
        if (versions.Count == 0)
        {
            return Problems.Of(context, 404, "model_not_found", $"no model named \"{name}\"");
        }

        string? chosen = version ?? (host.Catalog.Models.TryGetValue(name, out var served) && served.Aliases.TryGetValue("production", out var production) ? production.Version : null);
        if (chosen is null || versions.All(v => v.Version != chosen))
        {
            return Problems.Of(context, 404, "version_not_found", chosen is null
                ? $"{name} has no production version; name one with ?version="
                : $"{name} has no version \"{chosen}\"");
        }

        var (thresholds, perVariable) = options.Value.ThresholdsFor(name);
        var to = monitor.Now;
        var report = await monitor.DriftAsync(name, chosen, span, thresholds, perVariable, cancellation).ConfigureAwait(false);
        return Results.Json(report is null
            ? new DriftResponse(RequestIds.Of(context), name, chosen, windowText, to - span, to, BuildingReference, 0, null, thresholds, [], null)
            : new DriftResponse(RequestIds.Of(context), name, chosen, windowText, report.Since, to, report.Status, report.LiveRows,
                new DriftReferenceView(report.ReferenceSource, report.ReferenceRows, report.ReferenceCreatedAt), thresholds, report.Features, report.Score),
            JsonDefaults.Options);
    }

    private static TimeSpan? ParseWindow(string text)
    {
        var match = WindowPattern().Match(text);
        if (!match.Success || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int amount) || amount < 1)
        {
            return null;
        }

        var span = match.Groups[2].Value == "d" ? TimeSpan.FromDays(amount) : TimeSpan.FromHours(amount);
        return span <= LongestWindow ? span : null;
    }

    [GeneratedRegex("^([0-9]{1,4})([hd])$")]
    private static partial Regex WindowPattern();
}
