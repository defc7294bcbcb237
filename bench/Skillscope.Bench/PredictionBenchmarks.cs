using BenchmarkDotNet.Attributes;
using Skillscope.Trees.Prediction;

namespace Skillscope.Bench;

/// <summary>All seven skill models on one row: the per-request cost of an assessment (must not allocate).</summary>
[MemoryDiagnoser]
public class SingleRowBenchmarks
{
    private TreePredictor[] _predictors = [];
    private float[] _row = [];
    private readonly float[] _output = new float[1];

    [GlobalSetup]
    public void Setup()
    {
        var workload = Workload.Load(maxRows: 1);
        _predictors = workload.Predictors;
        _row = workload.Rows;
    }

    [Benchmark]
    public float SevenModelsOneRow()
    {
        float sum = 0;
        foreach (var predictor in _predictors)
        {
            predictor.Predict(_row, _output);
            sum += _output[0];
        }

        return sum;
    }
}

/// <summary>All seven models over 10,000 rows, on one and on two threads.</summary>
[MemoryDiagnoser]
public class BatchBenchmarks
{
    private TreePredictor[] _predictors = [];
    private float[] _rows = [];
    private float[] _output = [];

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var workload = Workload.Load(maxRows: 10_000);
        _predictors = workload.Predictors;
        _rows = workload.Rows;
        _output = new float[10_000];
    }

    [Benchmark]
    public void SevenModelsTenThousandRows()
    {
        foreach (var predictor in _predictors)
        {
            predictor.PredictBatch(_rows, _output, Threads);
        }
    }
}
