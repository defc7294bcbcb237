using Skillscope.Scoring.Monitoring;

namespace Skillscope.Server.Endpoints;

/// <summary>Outcomes of scored entities: the entity, its label, and when it was known (now when left out).</summary>
internal sealed record OutcomesRequest(IReadOnlyList<OutcomeItem> Outcomes);

internal sealed record OutcomeItem(string EntityId, double Label, DateTime? At);

/// <summary>How many outcomes were recorded, and each one that was not, with why (an unknown entity, a label outside the objective's domain, …).</summary>
internal sealed record OutcomesResponse(string RequestId, string Model, int Recorded, int Refused, IReadOnlyList<OutcomeRefusal> Errors);

/// <summary>
/// Each version on the outcomes of the entities it scored (AUC, log loss and calibration error for
/// probabilities, r and RMSE otherwise, each with a 95 % bootstrap interval), and its rows and failures.
/// </summary>
internal sealed record ComparisonResponse(string RequestId, string Model, string Objective, string Window, IReadOnlyList<Hosting.VersionComparison> Versions);
