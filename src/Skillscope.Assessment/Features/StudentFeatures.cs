namespace Skillscope.Assessment.Features;

/// <summary>
/// One student's feature vector (feature set order, NaN where the evidence is missing), its coverage,
/// and for linguistic markers the student's own sentence that first showed each one.
/// </summary>
public sealed record StudentFeatures(float[] Values, double Coverage, IReadOnlyDictionary<string, string> Exemplars, string FeatureSetVersion = FeatureSet.Version)
{
    public float this[string feature] => Values[FeatureSet.IndexOf(feature)];
}
