using Skillscope.Scoring.Events;

namespace Skillscope.Server.Eventing;

/// <summary>A subscription made (with its generated secret, shown once) or why not.</summary>
internal sealed record SubscriptionChange(EventSubscription? Subscription, string? GeneratedSecret, (int Status, string Code, string Detail)? Problem)
{
    public static SubscriptionChange Refused(int status, string code, string detail) => new(null, null, (status, code, detail));
}
