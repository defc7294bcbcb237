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
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 => ("a \"this network\" address", false),
                10 => ("a private address", true),
                100 when b[1] is >= 64 and < 128 => ("a shared (carrier-grade NAT) address", false),
                127 => ("a loopback address", false),
                169 when b[1] == 254 => ("a link-local address (the cloud metadata service lives there)", false),
                172 when b[1] is >= 16 and < 32 => ("a private address", true),
                192 when b[1] == 168 => ("a private address", true),
                >= 224 => ("a multicast or reserved address", false),
                _ => null,
            };
        }

        var v6 = address.GetAddressBytes();
        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal ? ("a link-local address", false)
            : address.IsIPv6UniqueLocal ? ("a unique-local (private) address", true)
            : address.IsIPv6Multicast ? ("a multicast address", false)
            : IPAddress.IsLoopback(address) ? ("a loopback address", false)

            // Addresses that carry an IPv4 address inside (NAT64 64:ff9b::/96, 6to4 2002::/16) could reach any of the above.
            : v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xff && v6[3] == 0x9b ? ("a NAT64 address (an IPv4 address inside)", false)
            : v6[0] == 0x20 && v6[1] == 0x02 ? ("a 6to4 address (an IPv4 address inside)", false)
            : null;
    }

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
