using BenchmarkDotNet.Attributes;
using Skillscope.Scoring.Monitoring;
using Skillscope.Scoring.Packages;
using Skillscope.Scoring.Registry;
using Skillscope.Scoring.Serving;
using Skillscope.Trees.Training;

namespace Skillscope.Bench;

/// <summary>
/// What monitoring adds to scoring: counting a batch of scored rows (26 features, 10 % missing, and the
/// score) in a version's reference bins, as every scoring path does after the trees have run; counting an
/// answered API request for the error-rate and latency alerts; and offering a scored batch to a model with
/// no shadow, as every batch is.
/// </summary>
[MemoryDiagnoser]
public class MonitoringBenchmarks
{
    private readonly RequestTally _requests = new();
    private readonly ShadowRunner _shadows = new();
    private ProfileRecorder _recorder = null!;
    private LoadedModel _model = null!;
    private float[] _rows = [];
    private float[] _scores = [];

    [Params(1, 100)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(11);
        var (reference, referenceScores) = ScoredRows.Make(random, 10_000);
        _recorder = new ProfileRecorder("model", "1.0.0", ScoredRows.Names, referenceRows: 10_000);
        _recorder.Use(ProfileBuilder.Build(ReferenceProfile.FirstScoredRows, ScoredRows.Names, reference, referenceScores, DateTime.UtcNow));
        (_rows, _scores) = ScoredRows.Make(random, Rows);
        _model = TinyModel(random);

        // Running, with no shadow for this model: the offer looks it up and goes, as for every model without one.
        _ = _shadows.RunAsync(CancellationToken.None);
    }

    /// <summary>A two-tree model over the benchmark's 26 features, loaded as the host loads a version.</summary>
    private static LoadedModel TinyModel(Random random)
    {
        var (x, _) = ScoredRows.Make(random, 200);
        var y = new float[200];
        for (int r = 0; r < y.Length; r++)
        {
            y[r] = x[r * ScoredRows.Features] > 50 ? 1 : 0;
        }

        var trained = GradientBoostingTrainer.Train(new TrainingData(x, y, ScoredRows.Features, featureNames: ScoredRows.Names),
            new TrainingParameters { Objective = "binary:logistic", NumRound = 2, MaxDepth = 2, Threads = 1 });
        var package = ModelPackage.Create(trained.ToUbjson(), new ModelMetadata { Name = "model", Version = "1.0.0", Created = DateTimeOffset.UnixEpoch });
        return new LoadedModel(new ModelVersionRecord("model", "1.0.0", "", "", "", "{}", DateTime.UnixEpoch, "bench"), package);
    }

    [Benchmark]
    public void CountScoredRows() => _recorder.Record(_rows, _scores, Rows, 1);

    [Benchmark]
    public void CountRequest() => _requests.Record(TimeSpan.FromMilliseconds(3), failed: false);

    [Benchmark]
    public void OfferToShadow() => _shadows.Offer(_model, _rows, _scores, Rows, 1, 1_000);
}
