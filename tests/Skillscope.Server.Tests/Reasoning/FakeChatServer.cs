using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.ML.Tokenizers;

namespace Skillscope.Server.Tests.Reasoning;

/// <summary>
/// An OpenAI-compatible chat-completions server on 127.0.0.1 (Kestrel): it answers with feedback for
/// exactly the skills it was sent, counts usage with the o200k tokenizer as the real API would, keeps
/// the exact bytes of every request, and can be told to be slow, throttle, fail or talk nonsense.
/// </summary>
public sealed class FakeChatServer : IAsyncDisposable
{
    private static readonly Tokenizer Tokens = TiktokenTokenizer.CreateForModel("gpt-4o");

    private readonly WebApplication _app;
    private int _calls;

    private FakeChatServer(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>Base URL to configure as <c>Reasoning:Endpoint</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>Request bodies exactly as received, in arrival order.</summary>
    public ConcurrentQueue<byte[]> Bodies { get; } = new();

    /// <summary>Authorization headers received.</summary>
    public ConcurrentQueue<string> Authorizations { get; } = new();

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Most requests in flight at once.</summary>
    public int PeakConcurrency => _peak;

    /// <summary>How to answer call number n (1-based); the default answers well at once.</summary>
    public Func<int, FakeReply> Behaviour { get; set; } = _ => FakeReply.Good;

    private int _inFlight;
    private int _peak;

    public static async Task<FakeChatServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        FakeChatServer? server = null;
        app.MapPost("/v1/chat/completions", (HttpContext context) => server!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new FakeChatServer(app, new Uri(address.TrimEnd('/') + "/v1"));
        return server;
    }

    /// <summary>The user messages (the evidence JSON) of every request.</summary>
    public IReadOnlyList<string> UserMessages() => [.. Bodies.Select(body =>
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("messages").EnumerateArray().Last(m => m.GetProperty("role").GetString() == "user").GetProperty("content").GetString()!;
    })];

    /// <summary>Prompt tokens as the API counts them: each message's content plus its role framing, and the reply priming.</summary>
    public static int PromptTokens(IEnumerable<string> contents) => 3 + contents.Sum(c => 4 + Tokens.CountTokens(c));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        int call = Interlocked.Increment(ref _calls);
        int inFlight = Interlocked.Increment(ref _inFlight);
        int peak;
        while (inFlight > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, inFlight, peak) != peak)
        {
        }

        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            Bodies.Enqueue(buffer.ToArray());
            Authorizations.Enqueue(context.Request.Headers.Authorization.ToString());
            var reply = Behaviour(call);
            if (reply.Delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(reply.Delay, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            if (reply.Status != 200)
            {
                context.Response.StatusCode = reply.Status;
                if (reply.RetryAfter is { } after)
                {
                    context.Response.Headers.RetryAfter = after;
                }

                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("""{"error":{"message":"fake failure","type":"server_error"}}""");
                return;
            }

            using var request = JsonDocument.Parse(buffer.ToArray());
            var messages = request.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("content").GetString()!).ToList();
            string content = reply.Content ?? GoodContent(messages[^1]);
            if (reply.RawBody is { } raw)
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(raw);
                return;
            }

            var answer = new JsonObject
            {
                ["id"] = "chatcmpl-fake-" + call,
                ["object"] = "chat.completion",
                ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["model"] = request.RootElement.GetProperty("model").GetString(),
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
                    ["finish_reason"] = "stop",
                }),
                ["usage"] = new JsonObject
                {
                    ["prompt_tokens"] = PromptTokens(messages),
                    ["completion_tokens"] = Tokens.CountTokens(content),
                    ["total_tokens"] = PromptTokens(messages) + Tokens.CountTokens(content),
                },
            };
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.ToJsonString());
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>Feedback in the shape asked for, one entry per skill of the evidence sent.</summary>
    public static string GoodContent(string userMessage)
    {
        using var evidence = JsonDocument.Parse(userMessage);
        var skills = new JsonArray();
        foreach (var skill in evidence.RootElement.GetProperty("skills").EnumerateArray())
        {
            string id = skill.GetProperty("skill").GetString()!, name = skill.GetProperty("name").GetString()!;
            skills.Add(new JsonObject
            {
                ["skill"] = id,
                ["feedback"] = $"The student is building {name}; the evidence shows a clear starting point to grow from.",
                ["next_step"] = $"Plan one short activity this week that lets the student practise {name} with a partner.",
            });
        }

        return new JsonObject
        {
            ["summary"] = "The student shows several emerging strengths. Building on them with small, regular practice will help most.",
            ["strengths"] = new JsonArray("Takes part in group work and explains ideas."),
            ["skills"] = skills,
        }.ToJsonString();
    }
}

/// <summary>One answer of the fake server: after a delay, a status (with Retry-After), given content, or a raw body.</summary>
public sealed record FakeReply(int Status = 200, TimeSpan Delay = default, string? RetryAfter = null, string? Content = null, string? RawBody = null)
{
    public static readonly FakeReply Good = new();

    public static FakeReply Slow(TimeSpan delay) => new(Delay: delay);
}
