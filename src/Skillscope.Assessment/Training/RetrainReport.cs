namespace Skillscope.Assessment.Training;

/// <summary>
/// A retraining run: how many rated students it trained on and held out, each skill's challenger against its
/// champion, and what was decided for the run (<see cref="Shadowed"/>: the winners went into the shadow;
/// <see cref="Held"/>: nothing moved) and why, with the seconds spent reading the students, training, and
/// comparing challengers with champions.
/// </summary>
public sealed record RetrainReport(int Students, int HeldOut, IReadOnlyList<SkillRetrain> Skills, string Decision, string Reason,
    double ReadSeconds = 0, double TrainSeconds = 0, double CompareSeconds = 0)
{
    /// <summary>Weak labels from teachers' accuracy answers trained on beside the ratings (<see cref="WeakLabels"/>).</summary>
    public int WeakLabels { get; init; }

    public const string Shadowed = "shadow";

    public const string Held = "held";
}
