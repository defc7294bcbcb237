using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>The <c>skillscope</c> executable as a separate process, as an operator runs it: started, waited for, stopped.</summary>
internal static class CliProcess
{
    public static Process Start(string[] args, StringBuilder logs, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(CliApp).Assembly.Location);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => { lock (logs) { logs.AppendLine(line.Data); } };
        process.ErrorDataReceived += (_, line) => { lock (logs) { logs.AppendLine(line.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static async Task WaitReadyAsync(HttpClient client, Process process, StringBuilder logs)
    {
        for (int i = 0; i < 300; i++)
        {
            // The message is made only when it is needed, and under the lock the output handlers append with.
            if (process.HasExited)
            {
                Assert.Fail("serve exited: " + Snapshot(logs));
            }

            try
            {
                if ((await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        Assert.Fail("serve did not become ready: " + Snapshot(logs));
    }

    /// <summary>What the process wrote so far (its output handlers append from other threads).</summary>
    public static string Snapshot(StringBuilder logs)
    {
        lock (logs)
        {
            return logs.ToString();
        }
    }

    // SIGTERM, as a service manager stops it: the host drains and flushes its logs.
    public static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill(entireProcessTree: true);
            }
        }

        process.WaitForExit();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
