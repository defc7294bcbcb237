using Skillscope.Assessment.Features;
using Skillscope.Assessment.Feedback;
using Skillscope.Assessment.Fusion;
using Skillscope.Assessment.Inference;
using Skillscope.Assessment.Reasoning;
using Skillscope.Assessment.Settings;
using Skillscope.Scoring.Serving;

namespace Skillscope.Assessment.Assessing;

/// <summary>
/// Assesses students from their stored evidence: features → every skill model (one batch per model) →
/// fusion → template feedback, which <see cref="AddFeedbackAsync"/> replaces with LLM feedback when an
/// LLM is configured. Large groups are split across the cores.
/// </summary>
public sealed class StudentAssessor(SkillInference inference, Func<FusionWeights> weights, TimeProvider? time = null, LlmFeedbackWriter? feedback = null,
    DistrictFusionWeights? districts = null, DistrictSettingsBook? settings = null)
{
    /// <summary>Feedback reason when no LLM is configured: the template is the designed text, not a fallback.</summary>
    public const string TemplateReason = FeedbackReasons.NotConfigured;

    private readonly string _templateReason = feedback?.Options.DisabledReason ?? TemplateReason;

    private const int ParallelFrom = 64;

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public SkillInference Inference => inference;

    /// <summary>Whether <see cref="AddFeedbackAsync"/> calls an LLM (otherwise the template text stays).</summary>
    public bool WritesLlmFeedback => feedback is not null && feedback.Options.DisabledReason is null;

    /// <summary>
    /// Replaces the template feedback with the LLM's where one is configured (calls run concurrently up
    /// to its cap); every failure leaves the template text with its reason. Without an LLM, returns the input.
    /// </summary>
    public Task<IReadOnlyList<StudentAssessment>> AddFeedbackAsync(IReadOnlyList<StudentAssessment> assessments, CancellationToken cancellation = default) =>
        !WritesLlmFeedback ? Task.FromResult(assessments) : feedback!.AddFeedbackAsync(assessments, cancellation);

    /// <summary>Assesses students whose evidence is loaded; results in the same order.</summary>
    public IReadOnlyList<StudentAssessment> Assess(ModelCatalog models, IReadOnlyList<StudentEvidence> evidence, IReadOnlyList<string>? skills, string? jobId)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(evidence);
        if (evidence.Count < ParallelFrom || Environment.ProcessorCount == 1)
        {
            return AssessSlice(models, evidence, 0, evidence.Count, skills, jobId);
        }

        int slices = Environment.ProcessorCount, size = (evidence.Count + slices - 1) / slices;
        var parts = new StudentAssessment[slices][];
        Parallel.For(0, slices, s =>
        {
            int start = s * size, end = Math.Min(evidence.Count, start + size);
            parts[s] = start < end ? AssessSlice(models, evidence, start, end, skills, jobId) : [];
        });
        return [.. parts.SelectMany(p => p)];
    }

    private StudentAssessment[] AssessSlice(ModelCatalog models, IReadOnlyList<StudentEvidence> evidence, int start, int end, IReadOnlyList<string>? skills, string? jobId)
    {
        var extractor = new FeatureExtractor();
        int count = end - start;
        var features = new StudentFeatures[count];
        var ids = new string?[count];
        for (int i = 0; i < count; i++)
        {
            var student = evidence[start + i];
            features[i] = student.Features ?? extractor.Extract(student.Utterances, student.Events);
            ids[i] = student.StudentId;
        }

        var (results, errors) = inference.Infer(models, features, ids, skills, EvidenceFusion.DefaultEvidenceItems);
        var installation = weights();
        var now = _time.GetUtcNow().UtcDateTime;
        var assessments = new StudentAssessment[count];
        for (int i = 0; i < count; i++)
        {
            // A district's own weights and settings where its admin set them; the versions recorded say whose.
            var own = districts?.For(evidence[start + i].DistrictId);
            var fusion = own ?? installation;
            var skillResults = new List<SkillAssessment>(results[i].Count);
            foreach (var result in results[i])
            {
                skillResults.Add(EvidenceFusion.Fuse(result, features[i], fusion.For(result.Skill), FusionIndicators.Default.GetValueOrDefault(result.Skill)));
            }

            double coverage = Math.Round(features[i].Coverage, 4);
            var student = evidence[start + i];
            var applied = settings?.AppliedTo(student.DistrictId);
            assessments[i] = new StudentAssessment(student.StudentId, now, features[i].FeatureSetVersion, coverage, skillResults, errors[i],
                TemplateFeedback.Write(student.StudentId, coverage, skillResults, coverage == 0 ? FeedbackReasons.NoEvidence : _templateReason, applied?.Bands),
                DistrictFusionWeights.RecordedVersion(student.DistrictId, fusion, own is not null),
                student.EvidenceVersion, jobId) { AllSkills = skills is null, Settings = applied };
        }

        return assessments;
    }
}
