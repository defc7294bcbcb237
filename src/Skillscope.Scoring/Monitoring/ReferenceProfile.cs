namespace Skillscope.Scoring.Monitoring;

/// <summary>
/// What a model version's inputs and scores looked like when it was made or first served: one histogram
/// per feature (schema order) with quantile bins, and one of its scores. Live traffic is counted in the
/// same bins, so drift compares like with like.
/// </summary>
/// <param name="Source"><see cref="FirstScoredRows"/> or <see cref="TrainingData"/>.</param>
/// <param name="Rows">Rows the profile was made from.</param>
/// <param name="CreatedAt">When it was made (UTC).</param>
/// <param name="Features">One histogram per feature, in the schema's order.</param>
/// <param name="Score">The output's histogram, named <see cref="ScoreName"/> (none for a model with several outputs).</param>
public sealed record ReferenceProfile(string Source, long Rows, DateTime CreatedAt, IReadOnlyList<Histogram> Features, Histogram? Score)
{
    public const string FirstScoredRows = "first_scored_rows";

    public const string TrainingData = "training_data";

    /// <summary>The score's histogram's name: in brackets, so that it never reads as a feature's (a model may have a feature called "score").</summary>
    public const string ScoreName = "(score)";

    /// <summary>Slots of live counts in this profile's bins: every feature's, then the score's.</summary>
    public int Slots
    {
        get
        {
            int slots = 0;
            foreach (var feature in Features)
            {
                slots += Histogram.Slots(feature.Edges);
            }

            return slots + (Score is null ? 0 : Histogram.Slots(Score.Edges));
        }
    }
}
