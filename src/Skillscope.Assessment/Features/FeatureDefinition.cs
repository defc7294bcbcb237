namespace Skillscope.Assessment.Features;

/// <summary>One feature of the set: its name, how people should read it, its unit and valid range.</summary>
public sealed record FeatureDefinition(string Name, string Label, FeatureSource Source, string Unit, double Minimum, double Maximum, string Definition);

/// <summary>Which evidence a feature comes from.</summary>
public enum FeatureSource
{
    Linguistic,
    Behavioral,
    Derived,
}
