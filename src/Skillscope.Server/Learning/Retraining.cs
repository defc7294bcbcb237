using Skillscope.Assessment.Skills;
using Skillscope.Assessment.Training;
using Skillscope.Server.Hosting;
using Skillscope.Storage;

namespace Skillscope.Server.Learning;

/// <summary><c>skillscope retrain</c>'s entry: one run now, with the <c>Training:*</c> settings <c>serve</c> would read.</summary>
public static class Retraining
{
    /// <summary>Whether a student is held out of training by the <c>Training:HoldoutPercent</c> the data directory's settings name.</summary>
    public static Func<string, bool> HeldOut(ServerOptions options)
    {
        int percent = Settings(options).HoldoutPercent;
        return student => RetrainHoldout.Contains(student, percent);
    }

    /// <exception cref="RetrainRefusedException">Too few rated students: nothing was trained or registered.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A <c>Training:*</c> setting is out of range.</exception>
    public static Task<(long Run, RetrainReport Report)> RunAsync(ServerOptions options, SqlRegistryStore store, string actor, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = Settings(options);
        if (settings.Problem() is { } problem)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(TrainingOptions.Section, typeof(TrainingOptions), [problem]);
        }

        return new Retrainer(store, options, SkillCatalog.Default, settings, TimeProvider.System).RunAsync(actor, null, cancellation);
    }

    private static TrainingOptions Settings(ServerOptions options) =>
        AssessmentServices.CommandLineSettings(options).GetSection(TrainingOptions.Section).Get<TrainingOptions>() ?? new TrainingOptions();
}
