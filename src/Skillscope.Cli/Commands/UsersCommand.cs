using System.CommandLine;
using Skillscope.Server.Dashboard;
using Skillscope.Server.Security;

namespace Skillscope.Cli.Commands;

/// <summary>
/// <c>skillscope users create</c>: a dashboard account (a teacher tied to the roster's teacher, or an
/// admin) with a new random password, printed once as the last line of output. Running it again for
/// the same username resets the password.
/// </summary>
internal static class UsersCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var role = new Option<string>("--role") { Description = $"{Roles.Teacher} or {Roles.Admin}", Required = true };
        var username = new Option<string>("--username") { Description = "The sign-in name", Required = true };
        var name = new Option<string?>("--name") { Description = "The name shown in the dashboard (default: the teacher's roster name, or the username)" };
        var teacher = new Option<string?>("--teacher-id") { Description = "For a teacher: the roster teacher whose classes they see" };
        var district = new Option<string?>("--district-id") { Description = "For an admin: bind the account to one district (a tenant); it then sees only that district's students" };
        var create = new Command("create", "Create a dashboard account (or reset its password); the password is shown once") { role, username, name, teacher, district };
        data.AddTo(create);
        create.SetAction(parse => CliFailure.Guard(parse.InvocationConfiguration.Error, () =>
        {
            var error = parse.InvocationConfiguration.Error;
            string roleName = parse.GetRequiredValue(role), user = parse.GetRequiredValue(username);
            string? teacherId = parse.GetValue(teacher), districtId = parse.GetValue(district);
            if (roleName is not (Roles.Teacher or Roles.Admin))
            {
                return CliFailure.Report(error, $"--role must be {Roles.Teacher} or {Roles.Admin}");
            }

            if (roleName == Roles.Teacher && string.IsNullOrWhiteSpace(teacherId))
            {
                return CliFailure.Report(error, "a teacher account needs --teacher-id (the roster's teacher id)");
            }

            if (districtId is not null && roleName != Roles.Admin)
            {
                return CliFailure.Report(error, "--district-id is for admin accounts; a teacher sees their own classes");
            }

            if (string.IsNullOrWhiteSpace(user) || user.Length > 100 || user.Any(char.IsWhiteSpace))
            {
                return CliFailure.Report(error, "--username must be 1-100 characters without spaces");
            }

            using var store = DataOptions.OpenStore(data.Read(parse));
            if (RosterBinding.Missing(store.Assessments, roleName == Roles.Teacher ? teacherId : null, districtId) is { } missing)
            {
                return CliFailure.Report(error, missing, CliFailure.InputError);
            }

            string password = DashboardAccounts.CreateAsync(store.Assessments, user, parse.GetValue(name) ?? user, roleName, teacherId, districtId).GetAwaiter().GetResult();
            var output = parse.InvocationConfiguration.Output;
            output.WriteLine($"{roleName} account \"{user}\" is ready; its password is not shown again:");
            output.WriteLine(password);
            return 0;
        }));
        return new Command("users", "Manage dashboard accounts") { create };
    }
}
