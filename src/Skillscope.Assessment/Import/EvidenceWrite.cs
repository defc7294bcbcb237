namespace Skillscope.Assessment.Import;

/// <summary>What storing evidence did: rows that were new, and the students they belong to.</summary>
public sealed record EvidenceWrite(int Added, IReadOnlyList<string> Students);
