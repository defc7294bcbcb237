using System.Text.Json;
using System.Text.Json.Serialization;
using Skillscope.Scoring.Alerts;
using Skillscope.Scoring.Registry;
using Skillscope.Server.Http;

namespace Skillscope.Server.Alerting;

/// <summary>
/// Reads and replaces the alert rules: a replacement is validated whole (every problem named), based on the
/// version it was read at, stored as the next version with its audit entry, and its webhooks' URLs and secrets
/// protected and kept apart from the document, which holds the URLs masked (a webhook sent without a secret
/// keeps the one it has; one sent with its URL masked as it was read keeps its URL).
/// </summary>
internal sealed class AlertRulesService(IAlertStore store, AlertCredentials credentials, TimeProvider time)
{
    private static readonly JsonSerializerOptions Strict = new(JsonDefaults.Options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    public async Task<AlertRulesView> GetAsync(CancellationToken cancellation)
    {
        var latest = await store.LatestRulesAsync(cancellation).ConfigureAwait(false);
        var rules = latest is { } stored ? AlertRuleSetJson.Parse(stored.Document) : AlertRuleSet.Defaults;
        var withSecret = (await store.WebhookCredentialsAsync(cancellation).ConfigureAwait(false)).Secrets.Keys.ToHashSet(StringComparer.Ordinal);
        return View(latest?.Version ?? 0, rules, withSecret);
    }

    /// <summary>
    /// Moves what rules written before URLs were kept apart hold in the clear: the latest rules are saved
    /// again (their URLs protected, the document masked, audited as <paramref name="actor"/>) and the
    /// delivery log's URLs masked. Nothing to do (the usual case) changes nothing. Returns whether the rules moved.
    /// </summary>
    public async Task<bool> MoveClearUrlsAsync(string actor, CancellationToken cancellation)
    {
        await store.MaskDeliveryUrlsAsync(cancellation).ConfigureAwait(false);
        if (await store.LatestRulesAsync(cancellation).ConfigureAwait(false) is not { } latest)
        {
            return false;
        }

        var rules = AlertRuleSetJson.Parse(latest.Document);
        if (rules.Webhooks.All(w => AlertWebhook.IsMasked(w.Url)))
        {
            return false;
        }

        var body = new AlertRulesBody(latest.Version, rules.Rules, [.. rules.Webhooks.Select(w => new AlertWebhookBody(w.Id, w.Url, w.Format, w.Rules, null))]);
        var change = await ReplaceAsync(JsonSerializer.Serialize(body, JsonDefaults.Options), actor, cancellation).ConfigureAwait(false);
        return change.Rules is not null;
    }

    /// <summary>Parses <paramref name="json"/> as a replacement and stores it; the outcome says what was refused, if anything.</summary>
    public async Task<AlertRulesChange> ReplaceAsync(string json, string actor, CancellationToken cancellation)
    {
        AlertRulesBody? body;
        try
        {
            body = JsonSerializer.Deserialize<AlertRulesBody>(json, Strict);
        }
        catch (JsonException exception)
        {
            return AlertRulesChange.Refused("invalid_rules", [$"the document does not read as rules and webhooks{(exception.Path is { } path ? $" at {path}" : "")}: {FirstLine(exception.Message)}"]);
        }

        if (body?.Rules is null)
        {
            return AlertRulesChange.Refused("invalid_rules", ["send {\"version\": N, \"rules\": [...], \"webhooks\": [...]}: rules is missing"]);
        }

        var latest = await store.LatestRulesAsync(cancellation).ConfigureAwait(false);
        long current = latest?.Version ?? 0;
        if (body.Version is { } basedOn && basedOn != current)
        {
            return AlertRulesChange.Refused("version_conflict", [$"the rules are at version {current}, not {basedOn}; read them again and retry"]);
        }

        var stored = (await store.WebhookCredentialsAsync(cancellation).ConfigureAwait(false)).Secrets.Keys.ToHashSet(StringComparer.Ordinal);
        var knownUrls = await KnownUrlsAsync(cancellation).ConfigureAwait(false);
        var webhooks = body.Webhooks ?? [];
        var problems = new List<string>();
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var webhook in webhooks)
        {
            if (webhook?.Secret is not { } secret)
            {
                continue;
            }

            if (secret.Length is < 16 or > 256)
            {
                problems.Add($"webhook \"{webhook.Id}\": secret must be 16 to 256 characters, not {secret.Length}");
            }
            else if (webhook.Id is not null)
            {
                given[webhook.Id] = secret;
            }
        }

        var rules = new AlertRuleSet(body.Rules, [.. webhooks.Select(w => w is null ? null! : new AlertWebhook(w.Id!, UrlOf(w, knownUrls), w.Format ?? AlertWebhook.Json, w.Rules))]);
        problems.AddRange(rules.Problems(new HashSet<string>(stored.Concat(given.Keys), StringComparer.Ordinal)));
        foreach (var webhook in rules.Webhooks)
        {
            if (webhook?.Url is { } url && AlertWebhook.IsMasked(url))
            {
                problems.Add($"webhook \"{webhook.Id}\": the url is masked and matches no stored one; send the full URL (a masked one, exactly as read, keeps the webhook's URL)");
            }
        }

        if (problems.Count > 0)
        {
            return AlertRulesChange.Refused("invalid_rules", problems);
        }

        // The document, and so the audit log, holds each URL masked; the URL itself is kept with the secrets.
        var masked = Masked(rules);
        string before = latest is { } previous ? AlertWebhook.MaskUrlsIn(previous.Document) : AlertRuleSetJson.Serialize(AlertRuleSet.Defaults);
        string document = AlertRuleSetJson.Serialize(masked);
        var audit = new AuditEntry(0, time.GetUtcNow().UtcDateTime, actor, AlertRulesAudit.Action, $"alert rules v{current + 1}", before, document);
        var kept = new WebhookCredentials(
            rules.Webhooks.ToDictionary(w => w.Id, w => credentials.Protect(w.Url), StringComparer.Ordinal),
            given.ToDictionary(g => g.Key, g => credentials.Protect(g.Value), StringComparer.Ordinal));
        if (!await store.SaveRulesAsync(current + 1, document, masked.Webhooks, kept, audit, cancellation).ConfigureAwait(false))
        {
            return AlertRulesChange.Refused("version_conflict", [$"the rules changed while this change was made (version {current + 1} exists); read them again and retry"]);
        }

        stored.IntersectWith(rules.Webhooks.Select(w => w.Id));
        stored.UnionWith(given.Keys);
        return new AlertRulesChange(View(current + 1, rules, stored), null, []);
    }

    private static AlertRulesView View(long version, AlertRuleSet rules, HashSet<string> withSecret) => new(
        version,
        [.. rules.Rules.Select(rule => rule.Resolved())],
        [.. rules.Webhooks.Select(w => new AlertWebhookView(w.Id, AlertWebhook.Masked(w.Url), w.Format, w.Rules, withSecret.Contains(w.Id)))],
        AlertKinds.All);

    private static AlertRuleSet Masked(AlertRuleSet rules) => new(rules.Rules, [.. rules.Webhooks.Select(w => w.WithMaskedUrl())]);

    /// <summary>The URL a webhook is sent with: the stored one when it comes back masked as it was read, else the one sent.</summary>
    private static string UrlOf(AlertWebhookBody webhook, IReadOnlyDictionary<string, string> known) =>
        webhook.Url is { } url && AlertWebhook.IsMasked(url) && webhook.Id is { } id && known.TryGetValue(id, out var stored)
            && AlertWebhook.Masked(stored) == AlertWebhook.Masked(url)
            ? stored
            : webhook.Url!;

    /// <summary>The webhooks' stored URLs; none when the key ring cannot read them (a masked URL is then refused, and the full one must be sent).</summary>
    private async Task<IReadOnlyDictionary<string, string>> KnownUrlsAsync(CancellationToken cancellation)
    {
        try
        {
            return await credentials.UrlsAsync(cancellation).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            return new Dictionary<string, string>();
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}

/// <summary>The rules in force (defaults filled in), their webhooks (whether each has a secret, never the secret) and the kinds a rule may have.</summary>
internal sealed record AlertRulesView(long Version, IReadOnlyList<AlertRule> Rules, IReadOnlyList<AlertWebhookView> Webhooks, IReadOnlyList<string> Kinds);

/// <summary>A webhook as read: its URL masked (it is a credential), and whether it has a secret.</summary>
internal sealed record AlertWebhookView(string Id, string Url, string Format, IReadOnlyList<string>? Rules, bool HasSecret);

/// <summary>
/// A replacement of the rules as sent: the version it was read at, the rules, and the webhooks with their
/// (write-only) secrets. What a read answers (the request id, kinds, whether a webhook has a secret) may be sent back as it was; it is ignored.
/// </summary>
internal sealed record AlertRulesBody(long? Version, IReadOnlyList<AlertRule>? Rules, IReadOnlyList<AlertWebhookBody>? Webhooks, IReadOnlyList<string>? Kinds = null,
    string? RequestId = null);

internal sealed record AlertWebhookBody(string? Id, string? Url, string? Format, IReadOnlyList<string>? Rules, string? Secret, bool? HasSecret = null);

/// <summary>What a replacement did: the rules now in force, or the code and every problem that refused it.</summary>
internal sealed record AlertRulesChange(AlertRulesView? Rules, string? Code, IReadOnlyList<string> Problems)
{
    public static AlertRulesChange Refused(string code, IReadOnlyList<string> problems) => new(null, code, problems);
}
