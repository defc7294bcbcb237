using Skillscope.Assessment.Features;

namespace Skillscope.Assessment.Training;

/// <summary>
/// A weak label of one skill for one student, drawn from a teacher's accuracy answer (<see cref="WeakLabels"/>): trained on with
/// <see cref="Weight"/> beside the teacher ratings (weight 1), never judged on.
/// </summary>
/// <param name="StudentId">Whose answer it is drawn from.</param>
/// <param name="Features">The student's features now.</param>
/// <param name="Skill">The skill's index in the catalog.</param>
/// <param name="Label">1: the skill is high; 0: it is not.</param>
/// <param name="Weight">How much it counts against a rating's 1.</param>
public sealed record WeakExample(string StudentId, StudentFeatures Features, int Skill, float Label, float Weight);
