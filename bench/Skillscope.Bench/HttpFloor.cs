using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Skillscope.Bench;

/// <summary>
/// The ceiling of the HTTP comparison: a Kestrel server that reads each POST body, parses it as JSON and
/// answers with a fixed body of a given size — no authentication, no scoring, no serialisation. Whatever
/// a real endpoint does for the same request and response sizes, it cannot go faster than this on the
/// same machine. Usage: <c>http-floor PORT REPLY_BYTES</c>; stops on Ctrl+C or SIGTERM.
/// </summary>
internal static class HttpFloor
{
    public static int Run(string[] args)
    {
        if (args.Length != 2 || !int.TryParse(args[0], out int port) || !int.TryParse(args[1], out int replyBytes) || replyBytes < 2)
        {
            Console.Error.WriteLine("usage: http-floor PORT REPLY_BYTES (at least 2)");
            return 2;
        }

        // A JSON object padded with spaces to the size asked for.
        var reply = new byte[replyBytes];
        Array.Fill(reply, (byte)' ');
        (reply[0], reply[^1]) = ((byte)'{', (byte)'}');

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapPost("/", async context =>
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(reply, context.RequestAborted).ConfigureAwait(false);
        });
        app.MapGet("/", () => "ready");
        app.Run();
        return 0;
    }
}
