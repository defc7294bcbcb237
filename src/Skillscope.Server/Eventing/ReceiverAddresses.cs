using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Skillscope.Server.Eventing;

/// <summary>
/// Keeps event receivers on the public internet: a subscription's URL must be http(s) and its host must resolve
/// to public unicast addresses only — not this machine (loopback, unspecified, its own addresses), not a
/// private, link-local (the cloud metadata service), shared, unique-local or multicast range — both when it is
/// made and at every connection (<see cref="ConnectAsync"/>), so a name that later resolves inward is refused
/// too. Otherwise a tenant's admin could make the server a client of services only it can reach, and read
/// their answers' status in the delivery log. <c>Events:AllowPrivateReceivers</c> admits private ranges (a
/// district's own network, on premises); <c>Events:AllowLocalReceivers</c> admits this machine too (tests).
/// </summary>
internal sealed class ReceiverAddresses(bool allowLocal, bool allowPrivate = false)
{
    /// <summary>Why <paramref name="url"/> cannot receive events, or null when it can.</summary>
    public async Task<string?> ProblemAsync(string url, CancellationToken cancellation)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
        {
            return $"\"url\" must be an absolute http or https URL, not \"{Shown(url)}\"";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "\"url\" must not carry a user name or password; sign deliveries with the subscription's secret instead";
        }

        try
        {
            var addresses = await ResolveAsync(uri.IdnHost, cancellation).ConfigureAwait(false);
            return Refused(addresses) is { } refused ? $"\"url\" resolves to {refused.Address}, {refused.Why}; events are posted to public addresses only" : null;
        }
        catch (SocketException exception)
        {
            return $"the host \"{uri.Host}\" could not be resolved ({exception.SocketErrorCode})";
        }
    }

    /// <summary>Connects to a receiver, refusing any address of this machine (the check of <see cref="ProblemAsync"/> made again at the moment of connecting).</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellation)
    {
        var addresses = await ResolveAsync(context.DnsEndPoint.Host, cancellation).ConfigureAwait(false);
        if (Refused(addresses) is { } refused)
        {
            throw new HttpRequestException($"{context.DnsEndPoint.Host} resolves to {refused.Address}, {refused.Why}; events are posted to public addresses only");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellation).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellation) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellation).ConfigureAwait(false);

    /// <summary>The first of <paramref name="addresses"/> a receiver may not have, and why; null when every one is allowed.</summary>
    private (IPAddress Address, string Why)? Refused(IPAddress[] addresses)
    {
        HashSet<IPAddress>? own = null;
        foreach (var found in addresses)
        {
            var address = found.IsIPv4MappedToIPv6 ? found.MapToIPv4() : found;
            if (!allowLocal)
            {
                own ??= OwnAddresses();
                if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None)
                    || own.Contains(address))
                {
                    return (address, "this server");
                }
            }

            if (!allowLocal && Inward(address) is { } range && !(allowPrivate && range.Private))
            {
                return (address, range.Why);
            }
        }

        return null;
    }

    /// <summary>
    /// The range <paramref name="address"/> is in when it is not public unicast, and whether it is one of the private
    /// ranges <c>Events:AllowPrivateReceivers</c> admits (10/8, 172.16/12, 192.168/16, fc00::/7); null when public.
    /// </summary>
    private static (string Why, bool Private)? Inward(IPAddress address)
    {
        foreach (var (network, why, isPrivate) in InwardRanges)
        {
            if (network.Contains(address))
            {
                return (why, isPrivate);
            }
        }

        return null;
    }

    /// <summary>
    /// The ranges that are not public unicast, why each is refused, and whether it is one of the private ranges
    /// <c>Events:AllowPrivateReceivers</c> admits. NAT64 and 6to4 addresses carry an IPv4 address inside, which could be any of the others.
    /// </summary>
    private static readonly (IPNetwork Network, string Why, bool Private)[] InwardRanges =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "a \"this network\" address", false),
        (IPNetwork.Parse("10.0.0.0/8"), "a private address", true),
        (IPNetwork.Parse("100.64.0.0/10"), "a shared (carrier-grade NAT) address", false),
        (IPNetwork.Parse("127.0.0.0/8"), "a loopback address", false),
        (IPNetwork.Parse("169.254.0.0/16"), "a link-local address (the cloud metadata service lives there)", false),
        (IPNetwork.Parse("172.16.0.0/12"), "a private address", true),
        (IPNetwork.Parse("192.168.0.0/16"), "a private address", true),
        (IPNetwork.Parse("224.0.0.0/3"), "a multicast or reserved address", false),
        (IPNetwork.Parse("fe80::/10"), "a link-local address", false),
        (IPNetwork.Parse("fec0::/10"), "a link-local address", false),
        (IPNetwork.Parse("fc00::/7"), "a unique-local (private) address", true),
        (IPNetwork.Parse("ff00::/8"), "a multicast address", false),
        (IPNetwork.Parse("::1/128"), "a loopback address", false),
        (IPNetwork.Parse("64:ff9b::/96"), "a NAT64 address (an IPv4 address inside)", false),
        (IPNetwork.Parse("2002::/16"), "a 6to4 address (an IPv4 address inside)", false),
    ];

    private static HashSet<IPAddress> OwnAddresses()
    {
        var own = new HashSet<IPAddress>();
        foreach (var adapter in NetworkInterface.GetAllNetworkInterfaces())
        {
            foreach (var unicast in adapter.GetIPProperties().UnicastAddresses)
            {
                own.Add(unicast.Address);
            }
        }

        return own;
    }

    /// <summary>A refused URL as it may be echoed: masked like a webhook's, since it may hold a credential.</summary>
    private static string Shown(string url) => Scoring.Alerts.AlertWebhook.Masked(url);
}
