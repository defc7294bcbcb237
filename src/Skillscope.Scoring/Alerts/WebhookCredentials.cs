namespace Skillscope.Scoring.Alerts;

/// <summary>
/// Webhooks' URLs and signing secrets by webhook id, as the caller protected them (the store never holds
/// one in the clear). In a change, a webhook absent from <see cref="Secrets"/> keeps the secret it has.
/// </summary>
public sealed record WebhookCredentials(IReadOnlyDictionary<string, string> Urls, IReadOnlyDictionary<string, string> Secrets)
{
    public static WebhookCredentials None { get; } = new(new Dictionary<string, string>(), new Dictionary<string, string>());
}
