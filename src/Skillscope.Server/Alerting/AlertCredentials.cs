using Microsoft.AspNetCore.DataProtection;
using Skillscope.Scoring.Alerts;

namespace Skillscope.Server.Alerting;

/// <summary>
/// Webhook URLs and signing secrets, protected at rest with the installation's data-protection key ring
/// (which every replica shares through the database): the store never holds one in the clear.
/// </summary>
internal sealed class AlertCredentials(IAlertStore store, IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Skillscope.Alerts.WebhookSecrets");

    public string Protect(string value) => _protector.Protect(value);

    /// <summary>The URL and secret of <paramref name="webhookId"/>, unprotected; either is null when it has none.</summary>
    /// <exception cref="InvalidOperationException">They were protected with a key this installation no longer has.</exception>
    public async Task<(string? Url, string? Secret)> CredentialsOfAsync(string webhookId, CancellationToken cancellation)
    {
        var stored = await store.WebhookCredentialsAsync(cancellation).ConfigureAwait(false);
        string? url = Unprotect(webhookId, stored.Urls);
        if (url is null)
        {
            (await DocumentUrlsAsync(cancellation).ConfigureAwait(false)).TryGetValue(webhookId, out url);
        }

        return (url, Unprotect(webhookId, stored.Secrets));
    }

    /// <summary>Every known webhook URL by webhook id, unprotected.</summary>
    /// <exception cref="InvalidOperationException">One was protected with a key this installation no longer has.</exception>
    public async Task<IReadOnlyDictionary<string, string>> UrlsAsync(CancellationToken cancellation)
    {
        var stored = await store.WebhookCredentialsAsync(cancellation).ConfigureAwait(false);
        var urls = stored.Urls.Keys.ToDictionary(id => id, id => Unprotect(id, stored.Urls)!, StringComparer.Ordinal);
        foreach (var (id, url) in await DocumentUrlsAsync(cancellation).ConfigureAwait(false))
        {
            urls.TryAdd(id, url);
        }

        return urls;
    }

    /// <summary>
    /// The URLs the latest rules document holds in the clear: rules written before URLs were kept apart
    /// (installations upgraded with webhooks set) until their next change moves them here.
    /// </summary>
    private async Task<Dictionary<string, string>> DocumentUrlsAsync(CancellationToken cancellation)
    {
        var latest = await store.LatestRulesAsync(cancellation).ConfigureAwait(false);
        var urls = new Dictionary<string, string>(StringComparer.Ordinal);
        if (latest is { } rules)
        {
            foreach (var webhook in AlertRuleSetJson.Parse(rules.Document).Webhooks)
            {
                if (!AlertWebhook.IsMasked(webhook.Url))
                {
                    urls[webhook.Id] = webhook.Url;
                }
            }
        }

        return urls;
    }

    private string? Unprotect(string webhookId, IReadOnlyDictionary<string, string> values)
    {
        if (!values.TryGetValue(webhookId, out var protectedValue))
        {
            return null;
        }

        try
        {
            return _protector.Unprotect(protectedValue);
        }
        catch (System.Security.Cryptography.CryptographicException exception)
        {
            throw new InvalidOperationException($"webhook {webhookId}'s URL or secret cannot be read with this installation's key ring; set it again", exception);
        }
    }
}
