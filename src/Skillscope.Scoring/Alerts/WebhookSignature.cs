using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Skillscope.Scoring.Alerts;

/// <summary>
/// The signature of a webhook delivery, in the <see cref="Header"/> header: <c>t=UNIX_SECONDS,v1=HEX</c>,
/// where HEX is HMAC-SHA256 over "t.body" with the webhook's secret. The time is signed with the body so
/// a receiver can refuse a delivery replayed later.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "Skillscope-Signature";

    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        string stamp = unixSeconds.ToString(CultureInfo.InvariantCulture);
        var signed = new byte[Encoding.UTF8.GetByteCount(stamp) + 1 + body.Length];
        int written = Encoding.UTF8.GetBytes(stamp, signed);
        signed[written] = (byte)'.';
        body.CopyTo(signed.AsSpan(written + 1));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return $"t={stamp},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>True when <paramref name="header"/> is <paramref name="body"/>'s signature with <paramref name="secret"/> (compared in constant time).</summary>
    public static bool Verify(string secret, string header, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(header);
        var parts = header.Split(',');
        if (parts.Length != 2 || !parts[0].StartsWith("t=", StringComparison.Ordinal) || !parts[1].StartsWith("v1=", StringComparison.Ordinal)
            || !long.TryParse(parts[0].AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out long stamp))
        {
            return false;
        }

        string expected = Sign(secret, stamp, body);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(header));
    }
}
