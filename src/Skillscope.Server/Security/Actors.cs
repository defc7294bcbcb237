using System.Security.Claims;

namespace Skillscope.Server.Security;

/// <summary>How the audit log names the caller of a change: the API key's id and name.</summary>
internal static class Actors
{
    public static string Of(HttpContext context) =>
        $"key:{context.User.FindFirstValue(ClaimTypes.NameIdentifier)} ({context.User.FindFirstValue(ClaimTypes.Name)})";
}
