using Skillscope.Assessment.Assessing;

namespace Skillscope.Server.Endpoints;

/// <summary>A page of the students a caller may see.</summary>
internal sealed record StudentSearchResponse(string RequestId, int Page, int PageSize, long Total, IReadOnlyList<StudentRecord> Students);

/// <summary>A student and their latest assessment, if any.</summary>
internal sealed record StudentResponse(string RequestId, StudentRecord Student, StudentAssessment? LatestAssessment);

/// <summary>An assessment just made and stored.</summary>
internal sealed record AssessmentResponse(string RequestId, StudentAssessment Assessment);

/// <summary>Body of <c>POST /api/v1/assessments/batch</c> (a bare JSON array of ids works too).</summary>
internal sealed record AssessBatchBody(IReadOnlyList<string> StudentIds);

/// <summary>Assessments made in one batch request, and the students that could not be assessed.</summary>
internal sealed record AssessBatchResponse(string RequestId, int Assessed, IReadOnlyList<StudentAssessment> Assessments, IReadOnlyList<StudentError>? Errors);

/// <summary>Why one student of a batch was not assessed.</summary>
internal sealed record StudentError(string StudentId, string Code, string Message);

/// <summary>A student's stored assessments, newest first.</summary>
internal sealed record AssessmentHistoryResponse(string RequestId, string StudentId, IReadOnlyList<StudentAssessment> Assessments);

/// <summary>What an erasure removed, by kind of record.</summary>
internal sealed record ErasureResponse(string RequestId, string StudentId, IReadOnlyDictionary<string, int> Erased);
