namespace Skillscope.Server.Eventing;

/// <summary>What a subscription is asked for with.</summary>
internal sealed record SubscriptionRequest(string? Url, IReadOnlyList<string>? Events, string? DistrictId, string? Secret);
