using Skillscope.Testing;

namespace Skillscope.Cli.Tests;

/// <summary>
/// A data directory prepared once per test class by <c>skillscope demo --no-serve</c> on a small
/// district: imported roster and evidence, seven trained models, every student assessed, an admin key.
/// </summary>
public sealed class DemoDistrict : IDisposable
{
    public const int Students = 300;

    private readonly TempFolder _folder = new();

    public DemoDistrict()
    {
        DataDirectory = _folder.File("data");
        var run = CliRun.Of("demo", "--students", Students.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "9", "--no-serve", "--data-dir", DataDirectory);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"demo failed ({run.ExitCode}): {run.Error}\n{run.Output}");
        }

        Output = run.Output;
        AdminKey = run.Output.TrimEnd().Split('\n')[^1].Trim();
    }

    public string DataDirectory { get; }

    public string Output { get; }

    public string AdminKey { get; }

    /// <summary>The dashboard password the demo printed for its <c>teacher</c> or <c>admin</c> login.</summary>
    public string Password(string username) =>
        System.Text.RegularExpressions.Regex.Match(Output, $@"{username} login: {username} / (\S+)").Groups[1].Value;

    /// <summary>Registers another version of a skill model from the files of its first one, so that there are two to promote or split between.</summary>
    public void RegisterVersion(string model, string version)
    {
        string package = Directory.GetDirectories(Path.Combine(DataDirectory, "models", model))[0];
        var registered = CliRun.Of("models", "register", "--name", model, "--version", version, "--model", Path.Combine(package, "model.ubj"),
            "--schema", Path.Combine(package, "schema.json"), "--data-dir", DataDirectory);
        if (registered.ExitCode != 0)
        {
            throw new InvalidOperationException($"registering {model} {version} failed ({registered.ExitCode}): {registered.Error}");
        }
    }

    /// <summary>An admin key bound to district d1, one bound to d2, and a student of d1 (the demo's one district).</summary>
    public async Task<(string OwnKey, string OtherKey, string Student)> DistrictAdminsAsync()
    {
        using var store = await Skillscope.Server.Hosting.StoreFactory.OpenAsync(new Skillscope.Server.ServerOptions(DataDirectory));
        var (_, own) = await Skillscope.Server.Security.ApiKeys.CreateAsync(store, Skillscope.Server.Security.Roles.Admin, "d1-admin", "test", districtId: "d1");
        var (_, other) = await Skillscope.Server.Security.ApiKeys.CreateAsync(store, Skillscope.Server.Security.Roles.Admin, "d2-admin", "test", districtId: "d2");
        return (own, other, (await store.Assessments.Jobs.StudentIdsAsync(null, 1, staleOnly: false))[0]);
    }

    /// <summary>Assesses a student over HTTP and returns the answer (which holds the <c>assessment</c>); anything but 200 fails the test.</summary>
    public static async Task<System.Text.Json.JsonDocument> AssessAsync(HttpClient client, string student)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.PostAsync($"/api/v1/students/{student}/assess", null);
        string body = await response.Content.ReadAsStringAsync();
        Xunit.Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, body);
        return System.Text.Json.JsonDocument.Parse(body);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
