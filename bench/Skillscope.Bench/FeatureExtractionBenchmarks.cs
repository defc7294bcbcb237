using BenchmarkDotNet.Attributes;
using Skillscope.Assessment.Features;
using Skillscope.Assessment.Synthetic;

namespace Skillscope.Bench;

/// <summary>Feature set 1 for generated students of typical size (about 20 utterances and 150 events each).</summary>
[MemoryDiagnoser]
public class FeatureExtractionBenchmarks
{
    private readonly FeatureExtractor _extractor = new();
    private GeneratedStudent[] _students = [];

    [GlobalSetup]
    public void Setup()
    {
        var generator = new DistrictGenerator(42);
        _students = [.. generator.Students(generator.Roster(1000))];
    }

    /// <summary>One thousand students; students per second = 1000 / the mean time.</summary>
    [Benchmark]
    public double ThousandStudents()
    {
        double sum = 0;
        foreach (var student in _students)
        {
            sum += _extractor.Extract(student.Utterances, student.Events).Coverage;
        }

        return sum;
    }
}
