using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Skillscope.Scoring.Events;
using Skillscope.Server.Hosting;
using Skillscope.Storage;

namespace Skillscope.Server.Eventing;

/// <summary>Event subscriptions and their delivery: the store, the receiver check, an HTTP client that refuses this machine's addresses, the deliverer and its worker.</summary>
internal static class EventServices
{
    public const string Client = "event-webhooks";

    /// <summary>The user agent of event deliveries: how tracing knows a request whose URL it must not record.</summary>
    public const string UserAgent = "Skillscope-Events/1";

    public static void AddEvents(this IServiceCollection services, SqlRegistryStore store)
    {
        services.AddSettings<EventOptions>(EventOptions.Section);
        services.AddSingleton(store.Events);
        services.AddSingleton(provider =>
        {
            var events = provider.GetRequiredService<IOptions<EventOptions>>().Value;
            return new ReceiverAddresses(events.AllowLocalReceivers, events.AllowPrivateReceivers);
        });
        services.AddSingleton<EventSubscriptions>();
        // A subscription's URL is a credential: the client's own request logging (which writes it) is removed.
        services.AddHttpClient(Client, (provider, client) =>
            {
                client.Timeout = TimeSpan.FromSeconds(provider.GetRequiredService<IOptions<EventOptions>>().Value.TimeoutSeconds);
                client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
            })
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                ConnectCallback = provider.GetRequiredService<ReceiverAddresses>().ConnectAsync,
                AllowAutoRedirect = false,

                // Through a proxy the callback would check the proxy, and the proxy reach the receiver unchecked.
                UseProxy = false,
            })
            .RemoveAllLoggers();
        services.AddSingleton(provider =>
        {
            var time = provider.GetRequiredService<TimeProvider>();
            return new EventDeliverer(provider.GetRequiredService<IEventStore>(),
                new WebhookPoster(provider.GetRequiredService<IHttpClientFactory>().CreateClient(Client), time),
                EventSubscriptions.Unprotector(provider.GetRequiredService<IDataProtectionProvider>()),
                new DeliveryRetries(TimeSpan.FromSeconds(provider.GetRequiredService<IOptions<EventOptions>>().Value.RetrySeconds)), time);
        });
        services.AddHostedService<EventWorker>();
    }
}
