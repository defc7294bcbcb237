using System.CommandLine;
using System.Globalization;
using Skillscope.Server.Security;

namespace Skillscope.Cli.Commands;

/// <summary>
/// <c>skillscope keys create|list|revoke|rotate</c>: API keys. A new key is printed once as the last line of
/// output and stored only as a hash. A teacher's key belongs to a roster teacher and reaches only their
/// classes; any key may be bound to one district and given a lifetime. A revoked key is refused by every
/// replica within a second.
/// </summary>
internal static class KeysCommand
{
    public static Command Create() => new("keys", "Manage API keys") { CreateKey(), List(), Revoke(), Rotate() };

    private static Command CreateKey()
    {
        var data = new DataOptions();
        var role = new Option<string>("--role") { Description = $"One of {string.Join(", ", Roles.All)}", Required = true };
        var name = new Option<string>("--name") { Description = "Who or what the key is for", Required = true };
        var teacher = new Option<string?>("--teacher-id") { Description = "For a teacher's key (required): the roster teacher whose classes it reaches" };
        var district = new Option<string?>("--district-id") { Description = "Bind the key to one district (a tenant): it reaches only that district's students" };
        var expires = new Option<string?>("--expires-in") { Description = "The key stops working after this long: a number and m, h, d or w (e.g. 90d); default never" };
        var create = new Command("create", "Create an API key; it is shown once and stored only as a hash") { role, name, teacher, district, expires };
        data.AddTo(create);
        create.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var error = parse.InvocationConfiguration.Error;
            string? teacherId = parse.GetValue(teacher), districtId = parse.GetValue(district), expiresIn = parse.GetValue(expires);
            TimeSpan? lifetime = null;
            if (expiresIn is not null && (lifetime = ApiKeys.ParseLifetime(expiresIn)) is null)
            {
                return CliFailure.Report(error, $"--expires-in \"{expiresIn}\" is not a lifetime: write a number and m, h, d or w (e.g. 90d), of at most 3650 days");
            }

            using var store = await DataOptions.OpenStoreAsync(data.Read(parse));
            if (await RosterBinding.MissingAsync(store.Assessments.Roster, teacherId, districtId) is { } missing)
            {
                return CliFailure.Report(error, missing, CliFailure.InputError);
            }

            var (record, key) = await ApiKeys.CreateAsync(store, parse.GetRequiredValue(role), parse.GetRequiredValue(name), DataOptions.Actor, teacherId, districtId, lifetime);
            var output = parse.InvocationConfiguration.Output;
            string bound = (record.TeacherId is null ? "" : $" of teacher {record.TeacherId}") + (record.DistrictId is null ? "" : $" bound to district {record.DistrictId}")
                + (record.ExpiresAt is { } at ? $", expiring {Time(at)}" : "");
            output.WriteLine($"created {record.Role} key {record.Id} for \"{record.Name}\"{bound}; it is not shown again:");
            output.WriteLine(key);
            return 0;
        }));
        return create;
    }

    private static Command List()
    {
        var data = new DataOptions();
        var command = new Command("list", "Every API key (not the keys themselves): role, binding, state, expiry, requests and last use");
        data.AddTo(command);
        command.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            using var store = await DataOptions.OpenStoreAsync(data.Read(parse));
            var keys = await store.ListApiKeysAsync();
            var output = parse.InvocationConfiguration.Output;
            if (keys.Count == 0)
            {
                output.WriteLine("no API keys; create one with: skillscope keys create --role admin --name NAME");
                return 0;
            }

            var now = DateTime.UtcNow;
            output.WriteLine($"{"id",-16} {"name",-20} {"role",-8} {"bound to",-22} {"state",-8} {"created",-16} {"expires",-16} {"requests",10} last used");
            foreach (var key in keys)
            {
                string bound = key.TeacherId is { } teacherId ? $"teacher {teacherId}" : key.DistrictId is { } districtId ? $"district {districtId}" : "everything";
                string state = key.RevokedAt is not null ? "revoked" : key.IsExpired(now) ? "expired" : "active";
                output.WriteLine($"{key.Id,-16} {Cut(key.Name, 20),-20} {key.Role,-8} {Cut(bound, 22),-22} {state,-8} {Time(key.CreatedAt),-16} {(key.ExpiresAt is { } e ? Time(e) : "never"),-16} " +
                    $"{key.Requests.ToString("N0", CultureInfo.InvariantCulture),10} {(key.LastUsedAt is { } used ? Time(used) : "never")}");
            }

            return 0;
        }));
        return command;
    }

    private static Command Revoke()
    {
        var data = new DataOptions();
        var id = new Argument<string>("id") { Description = "The key's id (see: skillscope keys list)" };
        var command = new Command("revoke", "Revoke an API key: every replica refuses it within a second") { id };
        data.AddTo(command);
        command.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            string keyId = parse.GetRequiredValue(id);
            using var store = await DataOptions.OpenStoreAsync(data.Read(parse));
            if (!await ApiKeys.RevokeAsync(store, keyId, DataOptions.Actor))
            {
                return CliFailure.Report(parse.InvocationConfiguration.Error, $"no active API key has the id \"{keyId}\" (see: skillscope keys list)", CliFailure.InputError);
            }

            parse.InvocationConfiguration.Output.WriteLine($"key {keyId} is revoked");
            return 0;
        }));
        return command;
    }

    private static Command Rotate()
    {
        var data = new DataOptions();
        var id = new Argument<string>("id") { Description = "The key's id (see: skillscope keys list)" };
        var command = new Command("rotate", "Replace an API key by a new one with the same name, role, binding and lifetime; the old one is revoked") { id };
        data.AddTo(command);
        command.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            string keyId = parse.GetRequiredValue(id);
            using var store = await DataOptions.OpenStoreAsync(data.Read(parse));
            if (await ApiKeys.RotateAsync(store, keyId, DataOptions.Actor) is not { } rotated)
            {
                return CliFailure.Report(parse.InvocationConfiguration.Error,
                    $"no active API key has the id \"{keyId}\" (a revoked or expired key cannot be rotated; create a new one)", CliFailure.InputError);
            }

            var output = parse.InvocationConfiguration.Output;
            output.WriteLine($"key {keyId} is revoked; its replacement {rotated.Record.Id} is not shown again:");
            output.WriteLine(rotated.Key);
            return 0;
        }));
        return command;
    }

    private static string Time(DateTime at) => at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Cut(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
