using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Skillscope.Assessment.Import;
using Skillscope.Assessment.Roster;
using Skillscope.Scoring.Alerts;
using Skillscope.Scoring.Events;
using Skillscope.Scoring.Registry;

namespace Skillscope.Server.Eventing;

/// <summary>
/// Event subscriptions as admins manage them: made (checked, URL and secret protected, audited), listed,
/// removed, and their deliveries read and replayed. A district's admin sees and changes only that district's
/// subscriptions; an admin bound to no district, every one.
/// </summary>
internal sealed class EventSubscriptions(IEventStore store, IDataProtectionProvider protection, ReceiverAddresses receivers, IRosterDirectory roster, TimeProvider time)
{
    /// <summary>Subscriptions one district (or the installation) may hold: enough for every system a district runs, few enough to bound one event's fan-out.</summary>
    public const int MaxPerDistrict = 20;

    public const int MinSecretLength = 16;

    public const int MaxSecretLength = 256;

    public const int MaxUrlLength = 2_000;

    private readonly IDataProtector _protector = protection.CreateProtector(Protector);

    private const string Protector = "Skillscope.Events.Subscriptions";

    /// <summary>Reads a URL or secret protected for a subscription.</summary>
    /// <exception cref="InvalidOperationException">It was protected with a key this installation no longer has.</exception>
    public static Func<string, string> Unprotector(IDataProtectionProvider protection)
    {
        var protector = protection.CreateProtector(Protector);
        return value =>
        {
            try
            {
                return protector.Unprotect(value);
            }
            catch (CryptographicException exception)
            {
                throw new InvalidOperationException("the subscription's URL or secret cannot be read with this installation's key ring; make the subscription again", exception);
            }
        };
    }

    /// <summary>Makes a subscription; the secret is returned once (generated when none was given).</summary>
    public async Task<SubscriptionChange> CreateAsync(string? callerDistrict, SubscriptionRequest request, string actor, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Url) || request.Url.Length > MaxUrlLength)
        {
            return SubscriptionChange.Refused(400, "invalid_url", $"\"url\" is required: an http or https URL of at most {MaxUrlLength} characters");
        }

        if (request.Events is not { Count: > 0 } events)
        {
            return SubscriptionChange.Refused(400, "no_events", $"\"events\" must list at least one of {string.Join(", ", EventTypes.All)}");
        }

        foreach (string type in events)
        {
            if (!EventTypes.IsKnown(type))
            {
                return SubscriptionChange.Refused(400, "unknown_event", $"\"{type}\" is not an event; the events are {string.Join(", ", EventTypes.All)}");
            }
        }

        if (request.Secret is { } given && (given.Length < MinSecretLength || given.Length > MaxSecretLength))
        {
            return SubscriptionChange.Refused(400, "invalid_secret", $"\"secret\" must be {MinSecretLength} to {MaxSecretLength} characters (or left out, and one is made)");
        }

        string? district = request.DistrictId;
        if (callerDistrict is not null)
        {
            if (district is not null && district != callerDistrict)
            {
                return SubscriptionChange.Refused(403, "district_mismatch", $"this key is bound to district \"{callerDistrict}\" and cannot subscribe for another");
            }

            district = callerDistrict;
        }
        else if (district is not null && (await roster.ExistingAsync(RosterTable.Districts, [district], cancellation).ConfigureAwait(false)).Count == 0)
        {
            return SubscriptionChange.Refused(422, "unknown_district", $"no district has the id \"{district}\" (import the roster first)");
        }

        if (district is not null && events.FirstOrDefault(EventTypes.IsInstallationOnly) is { } installationOnly)
        {
            return SubscriptionChange.Refused(422, "installation_event",
                $"\"{installationOnly}\" concerns the whole installation: only a subscription bound to no district may take it");
        }

        if (await receivers.ProblemAsync(request.Url, cancellation).ConfigureAwait(false) is { } urlProblem)
        {
            return SubscriptionChange.Refused(422, "invalid_url", urlProblem);
        }

        var existing = await store.SubscriptionsAsync(cancellation).ConfigureAwait(false);
        if (existing.Count(s => s.DistrictId == district) >= MaxPerDistrict)
        {
            return SubscriptionChange.Refused(409, "too_many_subscriptions",
                $"{(district is null ? "the installation" : $"district \"{district}\"")} has {MaxPerDistrict} subscriptions already; remove one first");
        }

        string secret = request.Secret ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var subscription = new EventSubscription($"sub_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}", district, AlertWebhook.Masked(request.Url),
            [.. events.Distinct(StringComparer.Ordinal)], time.GetUtcNow().UtcDateTime, actor);
        await store.AddSubscriptionAsync(subscription, _protector.Protect(request.Url), _protector.Protect(secret),
            Audit(actor, "webhook.subscribe", subscription.Id, null, Summary(subscription)), cancellation).ConfigureAwait(false);
        return new SubscriptionChange(subscription, request.Secret is null ? secret : null, null);
    }

    /// <summary>The subscriptions the caller may see.</summary>
    public async Task<IReadOnlyList<EventSubscription>> ListAsync(string? callerDistrict, CancellationToken cancellation)
    {
        var all = await store.SubscriptionsAsync(cancellation).ConfigureAwait(false);
        return callerDistrict is null ? all : [.. all.Where(s => s.DistrictId == callerDistrict)];
    }

    /// <summary>One subscription, when the caller may see it.</summary>
    public async Task<EventSubscription?> FindAsync(string? callerDistrict, string id, CancellationToken cancellation) =>
        (await ListAsync(callerDistrict, cancellation).ConfigureAwait(false)).FirstOrDefault(s => s.Id == id);

    public async Task<bool> RemoveAsync(string? callerDistrict, string id, string actor, CancellationToken cancellation) =>
        await FindAsync(callerDistrict, id, cancellation).ConfigureAwait(false) is { } subscription
        && await store.RemoveSubscriptionAsync(id, Audit(actor, "webhook.unsubscribe", id, Summary(subscription), null), cancellation).ConfigureAwait(false);

    public Task<IReadOnlyList<EventDelivery>> DeliveriesAsync(string id, int limit, CancellationToken cancellation) => store.DeliveriesAsync(id, limit, cancellation);

    public Task<bool> ReplayAsync(string id, long deliveryId, string actor, CancellationToken cancellation) =>
        store.ReplayAsync(id, deliveryId, time.GetUtcNow().UtcDateTime, Audit(actor, "webhook.replay", id, null, $"delivery {deliveryId}"), cancellation);

    private AuditEntry Audit(string actor, string action, string id, string? before, string? after) =>
        new(0, time.GetUtcNow().UtcDateTime, actor, action, $"webhook:{id}", before, after);

    private static string Summary(EventSubscription subscription) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["district_id"] = subscription.DistrictId,
            ["url"] = subscription.MaskedUrl,
            ["events"] = subscription.Events,
        });
}
