using Skillscope.Assessment.Import;
using Skillscope.Assessment.Roster;

namespace Skillscope.Server.Security;

/// <summary>Checks that the teacher and district a key or an account is bound to are in the roster.</summary>
public static class RosterBinding
{
    /// <summary>Why the binding cannot be made (an id the roster does not have), or null when it can.</summary>
    public static async Task<string?> MissingAsync(IRosterDirectory roster, string? teacherId, string? districtId, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(roster);
        if (teacherId is not null && (await roster.ExistingAsync(RosterTable.Teachers, [teacherId], cancellation).ConfigureAwait(false)).Count == 0)
        {
            return $"no teacher has the id \"{teacherId}\" (import the roster first)";
        }

        if (districtId is not null && (await roster.ExistingAsync(RosterTable.Districts, [districtId], cancellation).ConfigureAwait(false)).Count == 0)
        {
            return $"no district has the id \"{districtId}\" (import the roster first)";
        }

        return null;
    }
}
