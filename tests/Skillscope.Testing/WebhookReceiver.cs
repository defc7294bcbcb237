using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Skillscope.Testing;

/// <summary>
/// A webhook receiver on a free 127.0.0.1 port: records every POST to <c>/hook/{token}</c> (headers and body) and
/// answers 200, or 503 while it is told to be down. The token makes its URL a credential, as a Slack
/// webhook's is: a POST without it is refused (404).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile int _failNext;

    private WebhookReceiver(WebApplication app, Uri address)
    {
        _app = app;
        Url = new Uri(address, $"/hook/{Token}");
    }

    public Uri Url { get; }

    /// <summary>The secret part of <see cref="Url"/>.</summary>
    public string Token { get; } = $"T{Guid.NewGuid():N}";

    /// <summary>Requests accepted (2xx), in arrival order.</summary>
    public ConcurrentQueue<ReceivedHook> Accepted { get; } = new();

    /// <summary>Requests refused while down.</summary>
    public int Refused => _refused;

    private int _refused;

    /// <summary>Answers 503 to the next <paramref name="requests"/> requests, as a receiver that is down.</summary>
    public void FailNext(int requests) => _failNext = requests;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        WebhookReceiver? receiver = null;
        app.MapPost("/hook/{token}", async (HttpContext context, string token) =>
        {
            if (token != receiver!.Token)
            {
                return Results.NotFound();
            }

            using var reader = new StreamReader(context.Request.Body);
            string body = await reader.ReadToEndAsync(context.RequestAborted);
            if (Interlocked.Decrement(ref receiver!._failNext) >= 0)
            {
                Interlocked.Increment(ref receiver._refused);
                return Results.StatusCode(503);
            }

            Interlocked.Exchange(ref receiver._failNext, 0);
            receiver.Accepted.Enqueue(new ReceivedHook(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body));
            return Results.Ok();
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        receiver = new WebhookReceiver(app, address);
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One request a <see cref="WebhookReceiver"/> accepted.</summary>
public sealed record ReceivedHook(IReadOnlyDictionary<string, string> Headers, string Body);
