namespace Skillscope.Scoring.Events;

/// <summary>
/// A receiver of events: its URL (held protected with its signing secret; shown only in its masked form,
/// <see cref="Alerts.AlertWebhook.Masked"/>), the events it takes, and the district it is bound to (null: the
/// whole installation). A district's subscription receives that district's assessments and no other's.
/// </summary>
public sealed record EventSubscription(string Id, string? DistrictId, string MaskedUrl, IReadOnlyList<string> Events, DateTime CreatedAt, string CreatedBy);
