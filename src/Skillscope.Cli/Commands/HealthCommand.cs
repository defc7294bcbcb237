using System.CommandLine;
using System.Globalization;

namespace Skillscope.Cli.Commands;

/// <summary>
/// <c>skillscope health</c>: asks a health endpoint once and exits 0 on a 2xx answer, 1 on anything else
/// (another status, no answer in time, nothing listening). Container images carry no curl, so this is
/// what a <c>HEALTHCHECK</c> or an exec probe runs.
/// </summary>
internal static class HealthCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url")
        {
            Description = "The endpoint to ask",
            DefaultValueFactory = _ => "http://127.0.0.1:8080/health/live",
        };
        var timeout = new Option<double>("--timeout")
        {
            Description = "Seconds to wait for the answer",
            DefaultValueFactory = _ => 3,
        };
        var command = new Command("health", "Check a running server: exit 0 when the URL answers 2xx, else 1 (for container health checks)") { url, timeout };
        command.SetAction(async (parse, cancellation) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            string target = parse.GetRequiredValue(url);
            double seconds = parse.GetValue(timeout);
            if (!Uri.TryCreate(target, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
            {
                // 1, not the usual usage error 2: Docker reserves a health check's exit code 2.
                return CliFailure.Report(error, $"--url \"{target}\" is not an http(s) URL", CliFailure.InputError);
            }

            if (!double.IsFinite(seconds) || seconds <= 0)
            {
                return CliFailure.Report(error, "--timeout must be a positive number of seconds", CliFailure.InputError);
            }

            // The endpoint is this machine's own server: an HTTP_PROXY in the environment must not be asked instead.
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(seconds) };
            try
            {
                using var response = await client.GetAsync(address, cancellation);
                int status = (int)response.StatusCode;
                string body = await response.Content.ReadAsStringAsync(cancellation);
                string line = $"{status.ToString(CultureInfo.InvariantCulture)} {(body.Length <= 200 ? body : body[..200])}".TrimEnd();
                if (response.IsSuccessStatusCode)
                {
                    output.WriteLine(line);
                    return 0;
                }

                return CliFailure.Report(error, $"{address} answered {line}", CliFailure.InputError);
            }
            catch (TaskCanceledException)
            {
                return CliFailure.Report(error, $"{address} did not answer within {seconds.ToString(CultureInfo.InvariantCulture)} s", CliFailure.InputError);
            }
            catch (HttpRequestException exception)
            {
                return CliFailure.Report(error, $"{address} cannot be reached: {exception.Message}", CliFailure.InputError);
            }
        });
        return command;
    }
}
