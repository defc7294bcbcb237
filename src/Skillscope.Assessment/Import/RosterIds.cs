using Skillscope.Assessment.Assessing;

namespace Skillscope.Assessment.Import;

/// <summary>The roster ids an import has written so far, per table, so later rows of it may name them.</summary>
internal sealed class RosterIds
{
    private readonly Dictionary<RosterTable, HashSet<string>> _ids = [];

    public bool Contains(RosterTable table, string id) => _ids.TryGetValue(table, out var ids) && ids.Contains(id);

    public void Add(RosterTable table, string id)
    {
        if (!_ids.TryGetValue(table, out var ids))
        {
            _ids[table] = ids = new HashSet<string>(StringComparer.Ordinal);
        }

        ids.Add(id);
    }
}
