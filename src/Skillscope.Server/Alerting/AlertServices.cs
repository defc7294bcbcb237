using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Skillscope.Scoring.Alerts;
using Skillscope.Server.Hosting;
using Skillscope.Storage;

namespace Skillscope.Server.Alerting;

/// <summary>The alerting services: rules, webhook credentials, the board, the deliverer (with its own HTTP client) and the worker.</summary>
internal static class AlertServices
{
    public const string WebhookClient = "alert-webhooks";

    /// <summary>The user agent of webhook deliveries: how tracing knows a request whose URL it must not record.</summary>
    public const string UserAgent = "Skillscope-Alerts/1";

    public static void AddAlerting(this IServiceCollection services, SqlRegistryStore store)
    {
        services.AddSettings<AlertOptions>(AlertOptions.Section);
        services.AddSingleton(store.Alerts);
        services.AddSingleton(provider => new AlertCredentials(provider.GetRequiredService<IAlertStore>(), provider.GetRequiredService<IDataProtectionProvider>()));
        services.AddSingleton<AlertRulesService>();
        services.AddSingleton<AlertBoard>();
        // A webhook's URL is a credential: the client's own request logging (which writes the URL, path
        // included) is removed; the delivery log keeps the masked form.
        services.AddHttpClient(WebhookClient, (provider, client) =>
        {
            client.Timeout = TimeSpan.FromSeconds(provider.GetRequiredService<IOptions<AlertOptions>>().Value.WebhookTimeoutSeconds);
            client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        }).RemoveAllLoggers();
        services.AddSingleton(provider =>
        {
            var credentials = provider.GetRequiredService<AlertCredentials>();
            return new AlertDeliverer(provider.GetRequiredService<IAlertStore>(), provider.GetRequiredService<IHttpClientFactory>().CreateClient(WebhookClient),
                credentials.CredentialsOfAsync, provider.GetRequiredService<TimeProvider>(),
                TimeSpan.FromSeconds(provider.GetRequiredService<IOptions<AlertOptions>>().Value.RetrySeconds));
        });
        services.AddSingleton(store.Outcomes);
        services.AddSingleton(provider => new CanaryGuard(provider.GetRequiredService<Skillscope.Scoring.Registry.IRegistryStore>(),
            provider.GetRequiredService<Skillscope.Scoring.Registry.ModelRegistry>(), provider.GetRequiredService<Skillscope.Scoring.Monitoring.ModelMonitor>(),
            provider.GetRequiredService<Skillscope.Scoring.Monitoring.IOutcomeStore>(), provider.GetRequiredService<IAlertStore>(), provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ModelComparisons>();
        services.AddSingleton<AlertWorker>();
        services.AddHostedService(provider => provider.GetRequiredService<AlertWorker>());
    }
}
