using Microsoft.AspNetCore.DataProtection;
using Skillscope.Scoring.Alerts;

namespace Skillscope.Server.Alerting;

/// <summary>
/// Webhook signing secrets, protected at rest with the installation's data-protection key ring (which
/// every replica shares through the database): the store never holds one in the clear.
/// </summary>
internal sealed class AlertSecrets(IAlertStore store, IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Skillscope.Alerts.WebhookSecrets");

    public string Protect(string secret) => _protector.Protect(secret);

    /// <summary>The secret of <paramref name="webhookId"/>, or null when it has none.</summary>
    /// <exception cref="InvalidOperationException">It was protected with a key this installation no longer has.</exception>
    public async Task<string?> SecretOfAsync(string webhookId, CancellationToken cancellation)
    {
        var secrets = await store.WebhookSecretsAsync(cancellation).ConfigureAwait(false);
        if (!secrets.TryGetValue(webhookId, out var protectedSecret))
        {
            return null;
        }

        try
        {
            return _protector.Unprotect(protectedSecret);
        }
        catch (System.Security.Cryptography.CryptographicException exception)
        {
            throw new InvalidOperationException($"webhook {webhookId}'s secret cannot be read with this installation's key ring; set it again", exception);
        }
    }
}
