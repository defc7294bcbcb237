using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Features;
using Skillscope.Assessment.Skills;

namespace Skillscope.Assessment.Training;

/// <summary>
/// Training examples from the database: every student with a teacher rating of each skill (the latest
/// one counts), with features extracted from their stored evidence, in student id order.
/// </summary>
public static class SkillTrainingSet
{
    private const int Chunk = 1_000;

    /// <param name="store">Where the roster, evidence and ratings are.</param>
    /// <param name="catalog">The skills, in the order of each example's ratings.</param>
    /// <param name="latent">True skill levels by student id, when known (generated districts), for validation metrics only.</param>
    /// <param name="cancellation">Stops the load.</param>
    public static async Task<List<SkillExample>> FromStoreAsync(IAssessmentInputs store, SkillCatalog catalog, IReadOnlyDictionary<string, double[]>? latent = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(catalog);
        var latest = new Dictionary<string, (int Rating, DateTime At)[]>(StringComparer.Ordinal);
        foreach (var rating in await store.LoadRatingsAsync(cancellation).ConfigureAwait(false))
        {
            int skill = catalog.IndexOf(rating.Skill);
            if (skill < 0)
            {
                continue;
            }

            if (!latest.TryGetValue(rating.StudentId, out var ratings))
            {
                latest[rating.StudentId] = ratings = new (int, DateTime)[catalog.Skills.Count];
            }

            if (ratings[skill].Rating == 0 || rating.At >= ratings[skill].At)
            {
                ratings[skill] = (rating.Rating, rating.At);
            }
        }

        var ids = latest.Where(p => Array.TrueForAll(p.Value, r => r.Rating > 0)).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        var examples = new List<SkillExample>(ids.Count);
        await foreach (var (student, features) in FeaturesAsync(store, ids, cancellation).ConfigureAwait(false))
        {
            examples.Add(new SkillExample(student, features, [.. latest[student].Select(r => r.Rating)], latent?.GetValueOrDefault(student)));
        }

        // Validation against the latent truth needs it for everyone, or it would compare different students.
        return examples.Exists(e => e.Latent is null) ? [.. examples.Select(e => e with { Latent = null })] : examples;
    }

    /// <summary>Each student's features (the stored ones, or extracted from the stored evidence), read a chunk of students at a time.</summary>
    public static async IAsyncEnumerable<(string StudentId, StudentFeatures Features)> FeaturesAsync(IAssessmentInputs store, IReadOnlyList<string> ids,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(ids);
        var extractor = new FeatureExtractor();
        foreach (var chunk in ids.Chunk(Chunk))
        {
            foreach (var student in await store.LoadAssessmentInputsAsync(chunk, cancellation).ConfigureAwait(false))
            {
                yield return (student.StudentId, student.Features ?? extractor.Extract(student.Utterances, student.Events));
            }
        }
    }
}
