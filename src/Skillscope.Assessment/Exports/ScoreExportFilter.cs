using Skillscope.Assessment.Roster;

namespace Skillscope.Assessment.Exports;

/// <summary>
/// Which latest scores an export holds: those of the reader's scope, narrowed by district, school or class,
/// and to scores assessed at or after <see cref="Since"/>.
/// </summary>
public sealed record ScoreExportFilter(RosterScope Scope, string? DistrictId = null, string? SchoolId = null, string? ClassId = null, DateTime? Since = null)
{
    /// <summary>The filter as the audit log records it: "school=sc1 since=2026-09-01T00:00:00Z", or "every student in reach".</summary>
    public string Description
    {
        get
        {
            var parts = new List<string>(4);
            foreach (var (name, value) in new[] { ("district", DistrictId), ("school", SchoolId), ("class", ClassId) })
            {
                if (value is not null)
                {
                    parts.Add($"{name}={value}");
                }
            }

            if (Since is { } since)
            {
                parts.Add("since=" + since.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
            }

            return parts.Count == 0 ? "every student in reach" : string.Join(' ', parts);
        }
    }
}
