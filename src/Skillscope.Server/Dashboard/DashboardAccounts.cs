using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Skillscope.Assessment.Roster;
using Skillscope.Server.Security;

namespace Skillscope.Server.Dashboard;

/// <summary>
/// Dashboard accounts: created with a random password (shown once), checked with ASP.NET Core's
/// <see cref="PasswordHasher{TUser}"/> (PBKDF2), and turned into the cookie's claims.
/// </summary>
public static class DashboardAccounts
{
    private static readonly PasswordHasher<DashboardUser> Hasher = new();

    // Checked against when the username is unknown, so both cases cost one PBKDF2 verification.
    private static readonly string UnknownUserHash = Hasher.HashPassword(new DashboardUser("", "", "", null, ""), "not a password anyone has");

    /// <summary>Creates (or resets) an account and returns its new password. An admin bound to <paramref name="districtId"/> sees only that district.</summary>
    public static async Task<string> CreateAsync(IUserStore users, string username, string displayName, string role, string? teacherId, string? districtId = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(users);
        if (string.IsNullOrWhiteSpace(username) || username.Length > 100 || username.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException("a username is 1-100 characters without spaces", nameof(username));
        }

        if (role is not (Roles.Teacher or Roles.Admin or Roles.Analyst))
        {
            throw new ArgumentException($"a dashboard account is a {Roles.Teacher}, an {Roles.Admin} or an {Roles.Analyst}, not \"{role}\"", nameof(role));
        }

        if (role == Roles.Teacher && string.IsNullOrWhiteSpace(teacherId))
        {
            throw new ArgumentException("a teacher account needs the roster's teacher id", nameof(teacherId));
        }

        if (districtId is not null && (role == Roles.Teacher || string.IsNullOrWhiteSpace(districtId)))
        {
            throw new ArgumentException("only an admin's or an analyst's account is bound to a district (a teacher's is their school's), and it needs the district's id", nameof(districtId));
        }

        // A new stamp whatever changed (password, role, scope): the account's existing sessions end.
        var user = new DashboardUser(username, displayName, role, role == Roles.Teacher ? teacherId : null, "") { DistrictId = districtId, SecurityStamp = NewStamp() };
        string password = NewPassword();
        await users.UpsertUserAsync(user with { PasswordHash = Hasher.HashPassword(user, password) }, cancellation).ConfigureAwait(false);
        return password;
    }

    /// <summary>Gives an account a new random password (returned) and ends its sessions; null when there is no such account.</summary>
    public static async Task<string?> ResetPasswordAsync(IUserStore users, string username, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(users);
        if (await users.GetUserAsync(username, cancellation).ConfigureAwait(false) is not { } user)
        {
            return null;
        }

        string password = NewPassword();
        await users.UpsertUserAsync(user with { PasswordHash = Hasher.HashPassword(user, password), SecurityStamp = NewStamp() }, cancellation).ConfigureAwait(false);
        return password;
    }

    /// <summary>Disables an account (it cannot sign in, its sessions end) or enables it again; false when there is no such account.</summary>
    public static Task<bool> SetDisabledAsync(IUserStore users, string username, bool disabled, DateTime at, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(users);
        return users.SetDisabledAsync(username, disabled, NewStamp(), at, cancellation);
    }

    /// <summary>Ends every session of the account, on every device and replica.</summary>
    public static Task<bool> SignOutEverywhereAsync(IUserStore users, string username, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(users);
        return users.ChangeSecurityStampAsync(username, NewStamp(), cancellation);
    }

    /// <summary>
    /// The account when the password is right and the account enabled; otherwise no account, and whether
    /// the typed username names one (so a failure is logged under a username only when it is one, never
    /// under what may be a password typed in the wrong box).
    /// </summary>
    public static async Task<(DashboardUser? User, bool KnownUsername)> VerifyAsync(IUserStore users, string username, string password, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(users);
        var user = string.IsNullOrEmpty(username) || username.Length > 100 ? null : await users.GetUserAsync(username, cancellation).ConfigureAwait(false);
        if (user is null)
        {
            // Same work as a real check, so timing does not tell which usernames exist.
            Hasher.VerifyHashedPassword(new DashboardUser("", "", "", null, ""), UnknownUserHash, password ?? "");
            return (null, false);
        }

        bool right = Hasher.VerifyHashedPassword(user, user.PasswordHash, password ?? "") != PasswordVerificationResult.Failed;
        return (right && user.DisabledAt is null ? user : null, true);
    }

    public static ClaimsPrincipal Principal(DashboardUser user, string scheme)
    {
        ArgumentNullException.ThrowIfNull(user);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Username),
            new(ClaimTypes.Name, user.DisplayName),
            new(ClaimTypes.Role, user.Role),
        };
        ScopeClaims.AddTo(claims, user.TeacherId, user.DistrictId);
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    private static string NewPassword() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', 'x').Replace('/', 'y');

    private static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
