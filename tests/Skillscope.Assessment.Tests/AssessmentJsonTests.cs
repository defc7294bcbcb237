using System.Text.Json;
using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Feedback;
using Skillscope.Assessment.Inference;
using Skillscope.Assessment.Skills;
using Xunit;

namespace Skillscope.Assessment.Tests;

public sealed class AssessmentJsonTests
{
    [Fact]
    public void Stored_documents_keep_the_small_records_as_arrays_and_read_back_to_the_same_assessment()
    {
        var assessment = Sample();
        string stored = AssessmentJson.Serialize(assessment);

        Assert.Contains("\"evidence\":[[\"linguistic\",\"empathy_marker_rate\",", stored, StringComparison.Ordinal);
        Assert.Contains("\"lowers\",null],", stored, StringComparison.Ordinal);   // no detail: the seven values stored before detail existed
        Assert.Contains("\"raises\",null,\"0.75 share of tasks started\"]", stored, StringComparison.Ordinal);
        Assert.Contains("\"components\":[\"NaN\",null,0.25,", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("\"description\"", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("\"contribution\"", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("\"weight_ml\"", stored, StringComparison.Ordinal);
        Assert.Equal(ApiForm(assessment), ApiForm(AssessmentJson.Deserialize(stored)));
    }

    [Fact]
    public void Documents_stored_with_objects_before_read_the_same()
    {
        string objects = ApiForm(Sample());
        Assert.Contains("\"description\"", objects, StringComparison.Ordinal);
        Assert.Equal(objects, ApiForm(AssessmentJson.Deserialize(objects)));
    }

    [Fact]
    public void Arrays_cut_the_stored_document_by_a_quarter_at_least()
    {
        var full = Sample(itemsPerSkill: 5);
        Assert.True(AssessmentJson.Serialize(full).Length < 0.75 * ApiForm(full).Length);
    }

    [Theory]
    [InlineData("[\"ml\",\"x\",\"d\",0.1,null,\"raises\"]")]
    [InlineData("[\"ml\",\"x\",\"d\",0.1,null,\"raises\",null,\"detail\",\"extra\"]")]
    [InlineData("[\"ml\",\"x\",\"d\",0.1,null,\"raises\",null,42]")]
    [InlineData("[\"ml\",\"x\",null,0.1,null,\"raises\",null]")]
    [InlineData("[\"ml\",\"x\",\"d\",\"heavy\",null,\"raises\",null]")]
    [InlineData("42")]
    public void A_stored_record_that_does_not_fit_its_fields_is_refused(string item)
    {
        string stored = AssessmentJson.Serialize(Sample());
        int start = stored.IndexOf("\"evidence\":[", StringComparison.Ordinal) + "\"evidence\":[".Length;
        int end = stored.IndexOf("],[", start, StringComparison.Ordinal) + 1;
        Assert.ThrowsAny<JsonException>(() => AssessmentJson.Deserialize(stored[..start] + item + stored[end..]));
    }

    private static string ApiForm(StudentAssessment assessment) => JsonSerializer.Serialize(assessment, AssessmentJson.Default.StudentAssessment);

    private static StudentAssessment Sample(int itemsPerSkill = 2)
    {
        var skills = new List<SkillAssessment>();
        foreach (string skill in SkillCatalog.Default.Skills)
        {
            var items = new List<EvidenceItem>
            {
                new("linguistic", "empathy_marker_rate", "Acknowledging others' feelings: 2.5 per 100 words", 0.0512, 2.5f, "raises", "She said \"that's hard\" — and meant it 🙂\nthen smiled."),
                new("behavioral", "hints_per_task", "Using hints: no tasks yet", 0.01, null, "lowers", null),
                new("behavioral", "completion_rate", "Tasks completed: most of the time", 0.02, 0.75f, "raises", null, "0.75 share of tasks started"),
            };
            var features = new List<EvidenceFeature>
            {
                new("empathy_marker_rate", "Acknowledging others' feelings", 2.5f, 0.6123457f, "raises"),
                new("hints_per_task", "Using hints", float.NaN, -0.1f, "lowers"),
            };
            for (int i = items.Count; i < itemsPerSkill; i++)
            {
                items.Add(new EvidenceItem("ml", $"feature_{i}", $"Feature {i} at {i * 1.5} per session raised the model's score", 0.02 * i, i * 1.5f, "raises", null));
                features.Add(new EvidenceFeature($"feature_{i}", $"Feature {i}", i * 1.5f, 0.05f * i, "raises"));
            }

            skills.Add(new SkillAssessment(skill, 0.71, 0.64, 0.9, $"skill_{skill}@1.0.0", "1.0.0", new string('c', 64), 0.66,
                new FusionComponents(double.NaN, null, 0.25, double.PositiveInfinity, 0.6, 0, 0.3, 0.1), items, features));
        }

        var feedback = TemplateFeedback.Write("st42", 0.9, skills, StudentAssessor.TemplateReason);
        return new StudentAssessment("st42", new DateTime(2026, 12, 1, 3, 0, 0, DateTimeKind.Utc), "features-1", 0.9, skills,
            [new SkillError("resilience", "model_missing", "no model")], feedback, "fusion-3", 7, "job-1");
    }
}
