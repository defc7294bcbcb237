using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Skillscope.Scoring.Packages;
using Skillscope.Scoring.Serving;

namespace Skillscope.Bench;

/// <summary>
/// Preparing a request's rows for a model: 100 JSON items of 26 features (names like the skill features',
/// 10 % null) checked against a schema with ranges, with the features in the schema's order, as clients
/// mostly send them, or in reverse.
/// </summary>
[MemoryDiagnoser]
public class RowPreparationBenchmarks
{
    private const int Items = 100;

    private RowPreparer _preparer = null!;
    private JsonDocument _document = null!;
    private JsonElement[] _items = [];

    [Params(false, true)]
    public bool Reversed { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var names = Enumerable.Range(0, ScoredRows.Features).Select(f => $"feature_{f}_rate_per_utterance").ToArray();
        _preparer = new RowPreparer(new FeatureSchema { Features = [.. names.Select(name => new FeatureSpec(name, Minimum: 0, Maximum: 100))] });
        var random = new Random(5);
        var json = new StringBuilder("[");
        for (int i = 0; i < Items; i++)
        {
            json.Append(i == 0 ? "{" : ",{");
            var order = Reversed ? names.Reverse() : names;
            json.AppendJoin(',', order.Select(name => $"\"{name}\": {(random.NextDouble() < 0.1 ? "null" : (random.NextDouble() * 100).ToString("R", CultureInfo.InvariantCulture))}"));
            json.Append('}');
        }

        _document = JsonDocument.Parse(json.Append(']').ToString());
        _items = [.. _document.RootElement.EnumerateArray()];
    }

    [GlobalCleanup]
    public void Cleanup() => _document.Dispose();

    [Benchmark]
    public int HundredRows()
    {
        int present = 0;
        foreach (var item in _items)
        {
            present += _preparer.Prepare(item).Values.Length;
        }

        return present;
    }
}
