using Skillscope.Assessment.Evidence;
using Skillscope.Assessment.Roster;

namespace Skillscope.Assessment.Synthetic;

/// <summary>One generated student: roster entry, latent true skills (validation only), and their evidence.</summary>
/// <param name="Student">The roster entry.</param>
/// <param name="Latent">True skill levels (standard normal), in skill catalog order.</param>
/// <param name="Utterances">What the student said or wrote (empty when the district has no transcripts of them).</param>
/// <param name="Events">Game telemetry (empty when there is none).</param>
/// <param name="Ratings">The teacher's 1–4 rating of each skill.</param>
public sealed record GeneratedStudent(
    Student Student, double[] Latent, IReadOnlyList<Utterance> Utterances, IReadOnlyList<BehaviorEvent> Events, IReadOnlyList<TeacherRating> Ratings);
