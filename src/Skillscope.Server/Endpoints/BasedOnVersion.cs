using System.Text.Json;

namespace Skillscope.Server.Endpoints;

/// <summary>The <c>"version"</c> a change says it was based on: what was read, so that a change made meanwhile is refused.</summary>
internal static class BasedOnVersion
{
    /// <summary>False when the body has a <c>version</c> that is not a whole number; <paramref name="basedOn"/> is null when it has none.</summary>
    public static bool TryRead(JsonElement root, out long? basedOn)
    {
        basedOn = null;
        if (!root.TryGetProperty("version", out var version))
        {
            return true;
        }

        // TryGetInt64 throws on anything but a number: a string or null is refused here, as a bad request.
        if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt64(out long based))
        {
            return false;
        }

        basedOn = based;
        return true;
    }
}
