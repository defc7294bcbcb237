using System.Security.Claims;
using Skillscope.Assessment.Import;
using Skillscope.Assessment.Roster;
using Skillscope.Server.Http;
using Skillscope.Server.Security;

namespace Skillscope.Server.Endpoints;

/// <summary>Who may manage a district's own weights and settings: its admin, or an admin bound to no district.</summary>
internal static class DistrictAccess
{
    /// <summary>A 404 when the caller may not see the district (another district's admin) or the roster has none by that id; else null.</summary>
    public static async Task<IResult?> MissingAsync(HttpContext context, string district, IRosterDirectory roster)
    {
        string? bound = context.User.FindFirstValue(ScopeClaims.District);
        bool visible = bound is null ? (await roster.ExistingAsync(RosterTable.Districts, [district], context.RequestAborted).ConfigureAwait(false)).Count > 0 : bound == district;
        return visible ? null : Problems.Of(context, 404, "district_not_found", $"no district \"{district}\" is visible to this key");
    }
}
