using Skillscope.Scoring.Monitoring;
using Skillscope.Scoring.Packages;
using Skillscope.Scoring.Registry;

namespace Skillscope.Scoring.Serving;

/// <summary>A registered version loaded, verified and warmed: everything a request needs to score it.</summary>
public sealed class LoadedModel
{
    public LoadedModel(ModelVersionRecord record, ModelPackage package)
    {
        Record = record ?? throw new ArgumentNullException(nameof(record));
        Package = package ?? throw new ArgumentNullException(nameof(package));
        Scorer = new PackageScorer(package);
        Preparer = new RowPreparer(package.Schema);
    }

    public ModelVersionRecord Record { get; }

    public ModelPackage Package { get; }

    public PackageScorer Scorer { get; }

    public RowPreparer Preparer { get; }

    /// <summary>What counts this version's scored rows for monitoring (none: not monitored).</summary>
    public ProfileRecorder? Profile { get; init; }

    /// <summary>What counts this version's scored and failed rows per minute (none: not counted).</summary>
    public VersionTally? Usage { get; init; }

    /// <summary>Where this version's scored rows are offered for its model's shadow candidate (none: no shadows here).</summary>
    public ShadowRunner? Shadows { get; init; }

    public string Name => Record.Name;

    public string Version => Record.Version;

    /// <summary><c>name@version</c>.</summary>
    public string Id => $"{Record.Name}@{Record.Version}";
}
