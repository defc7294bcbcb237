using System.CommandLine;
using System.Globalization;
using Skillscope.Scoring.Registry;
using Skillscope.Server.Dashboard;
using Skillscope.Server.Security;

namespace Skillscope.Cli.Commands;

/// <summary>
/// <c>skillscope users create|list|reset-password|disable|enable</c>: dashboard accounts. <c>create</c> makes
/// an account (a teacher tied to the roster's teacher, or an admin) with a new random password, printed
/// once as the last line of output; running it again for the same username replaces the account. Every
/// change but <c>list</c> ends the account's sessions on every replica within seconds.
/// </summary>
internal static class UsersCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var role = new Option<string>("--role") { Description = $"{Roles.Teacher}, {Roles.Admin} or {Roles.Analyst} (cohorts and distributions only, never a student)", Required = true };
        var username = new Option<string>("--username") { Description = "The sign-in name", Required = true };
        var name = new Option<string?>("--name") { Description = "The name shown in the dashboard (default: the teacher's roster name, or the username)" };
        var teacher = new Option<string?>("--teacher-id") { Description = "For a teacher: the roster teacher whose classes they see" };
        var district = new Option<string?>("--district-id") { Description = "For an admin or an analyst: bind the account to one district (a tenant); it then sees only that district's students or cohorts" };
        var create = new Command("create", "Create a dashboard account (or reset its password); the password is shown once") { role, username, name, teacher, district };
        data.AddTo(create);
        create.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var error = parse.InvocationConfiguration.Error;
            string roleName = parse.GetRequiredValue(role), user = parse.GetRequiredValue(username);
            string? teacherId = parse.GetValue(teacher), districtId = parse.GetValue(district);
            if (roleName is not (Roles.Teacher or Roles.Admin or Roles.Analyst))
            {
                return CliFailure.Report(error, $"--role must be {Roles.Teacher}, {Roles.Admin} or {Roles.Analyst}");
            }

            if (roleName == Roles.Teacher && string.IsNullOrWhiteSpace(teacherId))
            {
                return CliFailure.Report(error, "a teacher account needs --teacher-id (the roster's teacher id)");
            }

            if (districtId is not null && roleName == Roles.Teacher)
            {
                return CliFailure.Report(error, "--district-id is for admin and analyst accounts; a teacher sees their own classes");
            }

            if (string.IsNullOrWhiteSpace(user) || user.Length > 100 || user.Any(char.IsWhiteSpace))
            {
                return CliFailure.Report(error, "--username must be 1-100 characters without spaces");
            }

            using var store = await DataOptions.OpenStoreAsync(data.Read(parse));
            if (await RosterBinding.MissingAsync(store.Assessments.Roster, roleName == Roles.Teacher ? teacherId : null, districtId) is { } missing)
            {
                return CliFailure.Report(error, missing, CliFailure.InputError);
            }

            string password = await DashboardAccounts.CreateAsync(store.Assessments.Users, user, parse.GetValue(name) ?? user, roleName, teacherId, districtId);
            await AuditAsync(store, "user.create", user);
            var output = parse.InvocationConfiguration.Output;
            bool disabled = (await store.Assessments.Users.GetUserAsync(user))?.DisabledAt is not null;
            output.WriteLine(disabled
                ? $"{roleName} account \"{user}\" is set, but it is disabled (enable it with: skillscope users enable {user}); its password is not shown again:"
                : $"{roleName} account \"{user}\" is ready; its password is not shown again:");
            output.WriteLine(password);
            return 0;
        }));
        return new Command("users", "Manage dashboard accounts") { create, List(), ResetPassword(), Disable(disabled: true), Disable(disabled: false) };
    }

    private static Command List()
    {
        var data = new DataOptions();
        var command = new Command("list", "Every dashboard account: role, binding and whether it is disabled");
        data.AddTo(command);
        command.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            using var store = await DataOptions.OpenStoreAsync(data.Read(parse));
            var users = await store.Assessments.Users.ListUsersAsync();
            var output = parse.InvocationConfiguration.Output;
            if (users.Count == 0)
            {
                output.WriteLine("no dashboard accounts; add one with: skillscope users create --role admin --username NAME");
                return 0;
            }

            output.WriteLine($"{"username",-24} {"role",-8} {"bound to",-24} {"state",-28} name");
            foreach (var user in users)
            {
                string bound = user.TeacherId is { } teacherId ? $"teacher {teacherId}" : user.DistrictId is { } districtId ? $"district {districtId}" : "everything";
                string state = user.DisabledAt is { } at ? $"disabled {at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}" : "enabled";
                output.WriteLine($"{user.Username,-24} {user.Role,-8} {bound,-24} {state,-28} {user.DisplayName}");
            }

            return 0;
        }));
        return command;
    }

    private static Command ResetPassword()
    {
        var data = new DataOptions();
        var username = new Argument<string>("username") { Description = "The account's sign-in name" };
        var command = new Command("reset-password", "Give an account a new random password (shown once) and end its sessions") { username };
        data.AddTo(command);
        command.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            string user = parse.GetRequiredValue(username);
            using var store = await DataOptions.OpenStoreAsync(data.Read(parse));
            if (await DashboardAccounts.ResetPasswordAsync(store.Assessments.Users, user) is not { } password)
            {
                return CliFailure.Report(parse.InvocationConfiguration.Error, $"there is no dashboard account \"{user}\" (see: skillscope users list)", CliFailure.InputError);
            }

            await AuditAsync(store, "user.reset_password", user);
            var output = parse.InvocationConfiguration.Output;
            output.WriteLine($"the password of \"{user}\" is reset and its sessions ended; the new one is not shown again:");
            output.WriteLine(password);
            return 0;
        }));
        return command;
    }

    private static Command Disable(bool disabled)
    {
        var data = new DataOptions();
        var username = new Argument<string>("username") { Description = "The account's sign-in name" };
        var command = disabled
            ? new Command("disable", "Disable an account: it cannot sign in and its sessions end") { username }
            : new Command("enable", "Enable a disabled account again (it signs in with its password)") { username };
        data.AddTo(command);
        command.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            string user = parse.GetRequiredValue(username);
            using var store = await DataOptions.OpenStoreAsync(data.Read(parse));
            if (!await DashboardAccounts.SetDisabledAsync(store.Assessments.Users, user, disabled, DateTime.UtcNow))
            {
                return CliFailure.Report(parse.InvocationConfiguration.Error, $"there is no dashboard account \"{user}\" (see: skillscope users list)", CliFailure.InputError);
            }

            await AuditAsync(store, disabled ? "user.disable" : "user.enable", user);
            parse.InvocationConfiguration.Output.WriteLine(disabled ? $"\"{user}\" is disabled and its sessions ended" : $"\"{user}\" is enabled");
            return 0;
        }));
        return command;
    }

    private static Task AuditAsync(Skillscope.Storage.SqlRegistryStore store, string action, string username) =>
        store.Assessments.Audit.AuditAsync(new AuditEntry(0, DateTime.UtcNow, DataOptions.Actor, action, $"user:{username}", null, null));
}
