using Skillscope.Assessment.Assessing;

namespace Skillscope.Cli.Commands;

/// <summary>Checks that the teacher and district a key or an account is bound to are in the roster.</summary>
internal static class RosterBinding
{
    /// <summary>Why the binding cannot be made (an id the roster does not have), or null when it can.</summary>
    public static string? Missing(IAssessmentStore store, string? teacherId, string? districtId)
    {
        if (teacherId is not null && store.ExistingAsync(RosterTable.Teachers, [teacherId]).GetAwaiter().GetResult().Count == 0)
        {
            return $"no teacher has the id \"{teacherId}\" (import the roster first)";
        }

        if (districtId is not null && store.ExistingAsync(RosterTable.Districts, [districtId]).GetAwaiter().GetResult().Count == 0)
        {
            return $"no district has the id \"{districtId}\" (import the roster first)";
        }

        return null;
    }
}
