namespace Skillscope.Assessment.Settings;

/// <summary>
/// A district's latest version of a document it sets in place of the installation's: the document, or null when that
/// version removed it (the district went back to the installation's; versions keep counting up, so a version names one
/// document for ever).
/// </summary>
public sealed record DistrictDocument(long Version, string? Document);
