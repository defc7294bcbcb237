using System.Text.RegularExpressions;

namespace Skillscope.Scoring.Alerts;

/// <summary>
/// Where alerts are posted: a URL, the body's form (<see cref="Json"/>, signed with the webhook's secret, or
/// <see cref="Slack"/>, a message an incoming Slack webhook accepts), and which rules (null: every rule).
/// A webhook URL is a credential (whoever has a Slack one may post to the channel): it is kept protected with
/// the signing secret, and the rules, their audit entries and the delivery log hold only its
/// <see cref="Masked"/> form.
/// </summary>
public sealed partial record AlertWebhook(string Id, string Url, string Format = AlertWebhook.Json, IReadOnlyList<string>? Rules = null)
{
    public const string Json = "json";

    public const string Slack = "slack";

    /// <summary>What a masked URL holds in place of its path and query.</summary>
    public const char Ellipsis = '…';

    /// <summary>Characters of the path and query a masked URL keeps (its last ones), when it is long enough (24 or more) that they give nothing away.</summary>
    private const int KeptCharacters = 4;

    /// <summary>True when this webhook is told about <paramref name="ruleId"/>'s alerts.</summary>
    public bool Takes(string ruleId) => Rules is null || Rules.Contains(ruleId, StringComparer.Ordinal);

    /// <summary>This webhook with its URL masked.</summary>
    public AlertWebhook WithMaskedUrl() => this with { Url = Masked(Url) };

    /// <summary>
    /// <paramref name="url"/> as it may be shown: its scheme, host and port, and of the path and query only
    /// the last four characters (so an admin can tell two apart), e.g. <c>https://hooks.example.com/…Xw9q</c>.
    /// Masking a masked URL gives it back unchanged.
    /// </summary>
    public static string Masked(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            return Ellipsis.ToString();
        }

        string rest = uri.GetComponents(UriComponents.PathAndQuery, UriFormat.UriEscaped).TrimStart('/');
        string unescaped = Uri.UnescapeDataString(rest);
        if (unescaped.StartsWith(Ellipsis))
        {
            unescaped = unescaped[1..];
        }

        string kept = unescaped.Length >= KeptCharacters * 6 || IsMasked(url) ? unescaped[Math.Max(0, unescaped.Length - KeptCharacters)..] : "";
        return $"{uri.GetLeftPart(UriPartial.Authority)}/{Ellipsis}{kept}";
    }

    /// <summary>
    /// <paramref name="json"/> (a rules document, or an audit entry of one) with every <c>"url"</c> value masked:
    /// how rules written before URLs were kept apart are shown.
    /// </summary>
    public static string MaskUrlsIn(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return UrlValue().Replace(json, match => $"{match.Groups[1].Value}\"{Masked(Regex.Unescape(match.Groups[2].Value))}\"");
    }

    [GeneratedRegex("(\"url\"\\s*:\\s*)\"((?:[^\"\\\\]|\\\\.)*)\"", RegexOptions.CultureInvariant)]
    private static partial Regex UrlValue();

    /// <summary>True when <paramref name="url"/> reads as a masked URL (one never posted to).</summary>
    public static bool IsMasked(string url) => url.Contains(Ellipsis, StringComparison.Ordinal) || url.Contains("%E2%80%A6", StringComparison.OrdinalIgnoreCase);
}
