using Skillscope.Assessment.Import;

namespace Skillscope.Server.Endpoints;

/// <summary>What an import did: rows read, written, already there (unchanged), and rejected with their reasons.</summary>
internal sealed record ImportResponse(string RequestId, string Kind, long Rows, long Written, long Unchanged, long Rejected, IReadOnlyList<ImportError> Errors);
