using System.Security.Claims;
using System.Text.Json;
using Skillscope.Assessment.Import;
using Skillscope.Assessment.Roster;
using Skillscope.Assessment.Settings;
using Skillscope.Server.Http;
using Skillscope.Server.Security;

namespace Skillscope.Server.Endpoints;

/// <summary>
/// Who may manage a district's own weights and settings — its admin, or an admin bound to no district — and the steps every
/// change and removal of them takes.
/// </summary>
internal static class DistrictAccess
{
    /// <summary>A 404 when the caller may not see the district (another district's admin) or the roster has none by that id; else null.</summary>
    public static async Task<IResult?> MissingAsync(HttpContext context, string district, IRosterDirectory roster)
    {
        string? bound = context.User.FindFirstValue(ScopeClaims.District);
        bool visible = bound is null ? (await roster.ExistingAsync(RosterTable.Districts, [district], context.RequestAborted).ConfigureAwait(false)).Count > 0 : bound == district;
        return visible ? null : Problems.Of(context, 404, "district_not_found", $"no district \"{district}\" is visible to this key");
    }

    /// <summary>
    /// A change: the JSON body read first (a request that is not JSON is refused as such whichever district it names), then the
    /// district checked, then its <c>"version"</c>; <paramref name="change"/> makes it and answers, or refuses it with a problem.
    /// </summary>
    public static async Task<IResult> ChangeAsync(HttpContext context, string district, IRosterDirectory roster, int maxDepth, string what,
        Func<JsonElement, long?, Task<IResult>> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var (document, problem) = await RequestBody.ReadJsonAsync(context, maxDepth, requireJsonMediaType: true, requireObject: true).ConfigureAwait(false);
        if (document is null)
        {
            return problem!;
        }

        using (document)
        {
            if (await MissingAsync(context, district, roster).ConfigureAwait(false) is { } missing)
            {
                return missing;
            }

            return BasedOnVersion.TryRead(document.RootElement, out long? basedOn)
                ? await change(document.RootElement, basedOn).ConfigureAwait(false)
                : Problems.Of(context, 400, "invalid_request", $"\"version\" is the district's {what} version read (0 while it never set any)");
        }
    }

    /// <summary>A change refused: 409 when another was made meanwhile, 422 when it is not valid; nothing was changed.</summary>
    public static IResult Refused(HttpContext context, string code, string message) =>
        code == "version_conflict"
            ? Problems.Of(context, 409, code, $"{message}; read them again and retry")
            : Problems.Of(context, 422, code, $"{message}; nothing was changed");

    /// <summary>
    /// Sends the district back to the installation's <paramref name="what"/> (204) — over <c>?version=N</c>, when given, as a
    /// change is (409 otherwise) — or 404 <paramref name="noneCode"/> when it has none of its own.
    /// </summary>
    public static async Task<IResult> RemoveAsync<T>(HttpContext context, string district, long? version, DistrictDocumentBook<T> book, IRosterDirectory roster,
        TimeProvider time, string noneCode, string what) where T : class
    {
        ArgumentNullException.ThrowIfNull(book);
        if (await MissingAsync(context, district, roster).ConfigureAwait(false) is { } missing)
        {
            return missing;
        }

        return await book.RemoveAsync(district, Actors.Of(context), time.GetUtcNow().UtcDateTime, version, context.RequestAborted).ConfigureAwait(false) switch
        {
            DistrictRemoval.Removed => Results.NoContent(),
            DistrictRemoval.NoneOfItsOwn => Problems.Of(context, 404, noneCode, $"district \"{district}\" has no {what} of its own; it uses the installation's"),
            _ => Problems.Of(context, 409, "version_conflict", $"the district's {what} changed meanwhile (now version {book.VersionOf(district)}); read them again and retry"),
        };
    }
}
