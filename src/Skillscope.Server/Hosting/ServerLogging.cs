namespace Skillscope.Server.Hosting;

/// <summary>The host's logs: one JSON object per line on stdout, UTC, scopes (request ids, trace ids) included.</summary>
internal static class ServerLogging
{
    public static void AddJsonLogs(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();

        // Framework chatter per request costs throughput and says little; warnings and our own events stay.
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);

        // The key ring is stored unencrypted beside the students' data in the same database, whose access
        // already reaches everything the keys protect; the warning at every new key says nothing new.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", LogLevel.Error);
        builder.Logging.AddJsonConsole(json =>
        {
            json.IncludeScopes = true;
            json.UseUtcTimestamp = true;
            json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
    }
}
