using System.Globalization;
using Skillscope.Server.Hosting;

namespace Skillscope.Server.Eventing;

/// <summary><c>Events</c>: whether this replica posts event deliveries, how often it looks, how patiently it retries, and which receivers it accepts.</summary>
internal sealed class EventOptions : ISettings
{
    public const string Section = "Events";

    public bool Enabled { get; set; } = true;

    /// <summary>Seconds between looks for deliveries due.</summary>
    public double DeliverySeconds { get; set; } = 5;

    /// <summary>Seconds a receiver has to answer before the attempt counts as failed (and is tried again later).</summary>
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>Seconds before a failed delivery is tried again the first time; each later pause is three times the one before, up to an hour.</summary>
    public double RetrySeconds { get; set; } = 10;

    /// <summary>
    /// Accept receivers on this machine (loopback and its own addresses) and in private ranges. Off by default: a
    /// subscription must not turn the server into a client of itself or of services only it can reach. For development and tests.
    /// </summary>
    public bool AllowLocalReceivers { get; set; }

    /// <summary>Accept receivers in private ranges (10/8, 172.16/12, 192.168/16, fc00::/7): a district's own systems on premises. Off by default.</summary>
    public bool AllowPrivateReceivers { get; set; }

    public string? Problem() =>
        !(DeliverySeconds is >= 0.1 and <= 600) ? $"Events:DeliverySeconds must be between 0.1 and 600, not {Number(DeliverySeconds)}"
        : !(TimeoutSeconds is >= 1 and <= 60) ? $"Events:TimeoutSeconds must be between 1 and 60 (a delivery's claim lasts two minutes), not {Number(TimeoutSeconds)}"
        : !(RetrySeconds is >= 0.1 and <= 3600) ? $"Events:RetrySeconds must be between 0.1 and 3600, not {Number(RetrySeconds)}"
        : null;

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
