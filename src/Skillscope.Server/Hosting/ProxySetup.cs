using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Skillscope.Server.Hosting;

/// <summary>
/// TLS that ends at a reverse proxy (docs/DEPLOY.md): requests from the proxies named in
/// <c>Proxy:KnownProxies</c> (addresses) or <c>Proxy:KnownNetworks</c> (CIDR ranges) take their client
/// address from <c>X-Forwarded-For</c> and their scheme from <c>X-Forwarded-Proto</c>, so the dashboard's
/// cookie (<see cref="CookieSecurePolicy.SameAsRequest"/>) is <c>Secure</c> behind an HTTPS proxy and the
/// sign-in rate limit counts each client rather than the proxy. With neither set nothing changes.
/// </summary>
public static class ProxySetup
{
    public const string Section = "Proxy";

    /// <summary>Adds the forwarded-headers middleware when proxies are configured; call it before any other middleware.</summary>
    /// <exception cref="FormatException">A configured address or network does not parse (the server does not start).</exception>
    public static void UseConfiguredProxies(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (Options(app.Configuration.GetSection(Section)) is { } options)
        {
            app.UseForwardedHeaders(options);
        }
    }

    /// <summary>The forwarded-headers options for a <c>Proxy</c> section, or null when it names no proxy.</summary>
    public static ForwardedHeadersOptions? Options(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var proxies = Values(section, "KnownProxies").Select(p => IPAddress.TryParse(p.Value, out var address) ? address
            : throw new FormatException($"{p.Key} \"{p.Value}\" is not an IP address")).ToList();
        var networks = Values(section, "KnownNetworks").Select(n => System.Net.IPNetwork.TryParse(n.Value, out var network) ? network
            : throw new FormatException($"{n.Key} \"{n.Value}\" is not a network in CIDR notation (e.g. 10.0.0.0/8)")).ToList();
        if (proxies.Count == 0 && networks.Count == 0)
        {
            return null;
        }

        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };

        // Exactly the configured senders: the defaults trust loopback, which behind a sidecar or a
        // port-forward would let anything on the machine claim to be HTTPS or any client address.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        proxies.ForEach(options.KnownProxies.Add);
        networks.ForEach(options.KnownIPNetworks.Add);
        return options;
    }

    /// <summary>
    /// A list setting's items: indexed (<c>Proxy:KnownProxies:0</c>; <c>Proxy__KnownProxies__0</c> in the
    /// environment) or one comma-separated value (<c>Proxy__KnownProxies=10.0.0.5,10.0.0.6</c>); blanks skipped.
    /// </summary>
    private static IEnumerable<(string Key, string Value)> Values(IConfigurationSection section, string name)
    {
        var list = section.GetSection(name);
        var items = list.Value is { } joined
            ? joined.Split(',').Select(item => (list.Path, item))
            : list.GetChildren().Select(child => (child.Path, child.Value ?? ""));
        return items.Where(item => !string.IsNullOrWhiteSpace(item.Item2)).Select(item => (item.Path, item.Item2.Trim()));
    }
}
