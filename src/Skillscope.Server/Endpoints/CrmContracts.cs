namespace Skillscope.Server.Endpoints;

/// <summary>Body of <c>predict-batch</c>: the ids of leads whose features are stored (or any generic scoring request).</summary>
internal sealed record CrmPredictBody(IReadOnlyList<string> LeadIds);

/// <summary>The contract's health: whether its model is served, and which version.</summary>
internal sealed record CrmHealth(
    string Status, int ContractVersion, string Model, string? Reason = null, string? ModelId = null, string? ModelVersion = null, string? ModelSha256 = null,
    bool? Split = null, CrmCalibration? CalibrationMetadata = null);

/// <summary>The contract's model list: every loaded version of its model.</summary>
internal sealed record CrmModels(int ContractVersion, string SchemaVersion, IReadOnlyList<CrmModelView> Models);

/// <summary>One loaded version as the CRM sees it.</summary>
internal sealed record CrmModelView(
    string ModelId, string Name, string Version, IReadOnlyList<string> Aliases, string ModelSha256, string PackageSha256, string FeatureSchemaVersion,
    int Features, double MinimumCoverage, CrmCalibration CalibrationMetadata, DateTimeOffset Created, string? Description);

/// <summary>The contract's answer to <c>predict-batch</c>.</summary>
internal sealed record CrmPredictResponse(
    int ContractVersion, string SchemaVersion, string FeatureSchemaVersion, string RequestId, string ModelId, string ModelVersion, string ModelSha256,
    CrmCalibration CalibrationMetadata, IReadOnlyList<CrmPrediction> Predictions);

/// <summary>Whether scores are calibrated probabilities, and how (<c>sigmoid</c> or <c>isotonic</c>).</summary>
internal sealed record CrmCalibration(bool Calibrated, string? Method);

/// <summary>One lead: its score and confidence, or why it has none.</summary>
internal sealed record CrmPrediction(string? LeadId, float? Score, double? Confidence, double? Coverage, string? ModelVersion, IReadOnlyList<string>? Warnings, ItemError? Error);
