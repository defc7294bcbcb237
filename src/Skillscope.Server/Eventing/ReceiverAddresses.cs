using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Skillscope.Server.Eventing;

/// <summary>
/// Keeps event receivers off this machine: a subscription's URL must be http(s) and its host must not resolve to
/// a loopback, unspecified or own address, both when it is made and at every connection (<see cref="ConnectAsync"/>),
/// so a name that later resolves here is refused too. <c>Events:AllowLocalReceivers</c> lifts the address rule.
/// </summary>
internal sealed class ReceiverAddresses(bool allowLocal)
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
            return Local(addresses) is { } local ? $"\"url\" resolves to this server ({local}); events are not posted to the server itself" : null;
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
        if (Local(addresses) is { } local)
        {
            throw new HttpRequestException($"{context.DnsEndPoint.Host} resolves to this server ({local}); events are not posted to the server itself");
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

    /// <summary>The first of <paramref name="addresses"/> that is this machine's, or null (always null when local receivers are allowed).</summary>
    private IPAddress? Local(IPAddress[] addresses)
    {
        if (allowLocal)
        {
            return null;
        }

        HashSet<IPAddress>? own = null;
        foreach (var found in addresses)
        {
            var address = found.IsIPv4MappedToIPv6 ? found.MapToIPv4() : found;
            if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None))
            {
                return address;
            }

            own ??= OwnAddresses();
            if (own.Contains(address))
            {
                return address;
            }
        }

        return null;
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
