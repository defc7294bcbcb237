using System.CommandLine;
using Skillscope.Server.Security;

namespace Skillscope.Cli.Commands;

/// <summary>
/// <c>skillscope keys create</c>: a new API key, printed once as the last line of output. A teacher's key
/// belongs to a roster teacher and reaches only their classes; any key may be bound to one district.
/// </summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var role = new Option<string>("--role") { Description = $"One of {string.Join(", ", Roles.All)}", Required = true };
        var name = new Option<string>("--name") { Description = "Who or what the key is for", Required = true };
        var teacher = new Option<string?>("--teacher-id") { Description = "For a teacher's key (required): the roster teacher whose classes it reaches" };
        var district = new Option<string?>("--district-id") { Description = "Bind the key to one district (a tenant): it reaches only that district's students" };
        var create = new Command("create", "Create an API key; it is shown once and stored only as a hash") { role, name, teacher, district };
        data.AddTo(create);
        create.SetAction(parse => CliFailure.Guard(parse.InvocationConfiguration.Error, () =>
        {
            var error = parse.InvocationConfiguration.Error;
            string? teacherId = parse.GetValue(teacher), districtId = parse.GetValue(district);
            using var store = DataOptions.OpenStore(data.Read(parse));
            if (RosterBinding.Missing(store.Assessments, teacherId, districtId) is { } missing)
            {
                return CliFailure.Report(error, missing, CliFailure.InputError);
            }

            var (record, key) = ApiKeys.CreateAsync(store, parse.GetRequiredValue(role), parse.GetRequiredValue(name), DataOptions.Actor, teacherId, districtId).GetAwaiter().GetResult();
            var output = parse.InvocationConfiguration.Output;
            string bound = (record.TeacherId is null ? "" : $" of teacher {record.TeacherId}") + (record.DistrictId is null ? "" : $" bound to district {record.DistrictId}");
            output.WriteLine($"created {record.Role} key {record.Id} for \"{record.Name}\"{bound}; it is not shown again:");
            output.WriteLine(key);
            return 0;
        }));
        return new Command("keys", "Manage API keys") { create };
    }
}
