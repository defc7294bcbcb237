using Skillscope.Assessment.Features;

namespace Skillscope.Assessment.Training;

/// <summary>Skill examples as the engine reads them.</summary>
public static class SkillExamples
{
    /// <summary>Every example's features, one row each, in feature set order.</summary>
    public static float[] Matrix(IReadOnlyList<SkillExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var matrix = new float[examples.Count * FeatureSet.Count];
        for (int i = 0; i < examples.Count; i++)
        {
            examples[i].Features.Values.CopyTo(matrix, i * FeatureSet.Count);
        }

        return matrix;
    }
}
