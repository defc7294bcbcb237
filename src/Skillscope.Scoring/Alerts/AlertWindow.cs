using System.Globalization;

namespace Skillscope.Scoring.Alerts;

/// <summary>A rule's window as written (5m, 24h, 7d): a number and m, h or d, at most 90 days.</summary>
public static class AlertWindow
{
    public static readonly TimeSpan Longest = TimeSpan.FromDays(90);

    /// <summary>The span <paramref name="text"/> says, or null when it is not a window.</summary>
    public static TimeSpan? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 6 || !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int amount) || amount < 1)
        {
            return null;
        }

        TimeSpan? span = text[^1] switch
        {
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            _ => null,
        };
        return span <= Longest ? span : null;
    }
}
