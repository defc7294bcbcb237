using System.Data.Common;
using Skillscope.Scoring.Packages;
using Skillscope.Scoring.Registry;
using Skillscope.Scoring.Tabular;
using Skillscope.Trees;
using Skillscope.Trees.Training;

namespace Skillscope.Cli.Commands;

/// <summary>Turns the failures a user can cause (bad model, bad input, unreadable file) into one line and an exit code.</summary>
internal static class CliFailure
{
    /// <summary>Exit code for bad input: a model or data file that cannot be used.</summary>
    public const int InputError = 1;

    /// <summary>Exit code for a command line that does not make sense.</summary>
    public const int UsageError = 2;

    public static int Report(TextWriter error, string message, int code = UsageError)
    {
        error.WriteLine($"error: {message}");
        return code;
    }

    public static int Guard(TextWriter error, Func<int> action)
    {
        try
        {
            return action();
        }
        // FormatException: a setting that does not parse at start (a cron schedule, a proxy address).
        catch (Exception ex) when (ex is TreeModelException or TrainingException or CsvFormatException or IOException or UnauthorizedAccessException or FormatException)
        {
            return Report(error, ex.Message, InputError);
        }
        catch (CliUsageException ex)
        {
            return Report(error, ex.Message, UsageError);
        }
        catch (PackageException ex)
        {
            return Report(error, $"{ex.Message} ({ex.Code})", InputError);
        }
        catch (RegistryException ex)
        {
            return Report(error, $"{ex.Message} ({ex.Code})", InputError);
        }
        catch (Skillscope.Assessment.Reasoning.ReasoningConfigurationException ex)
        {
            return Report(error, ex.Message, InputError);
        }
        catch (Skillscope.Assessment.Fusion.FusionWeightsException ex)
        {
            return Report(error, $"fusion weights: {ex.Message} ({ex.Code})", InputError);
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            // A setting that cannot work, found when the host starts; the message names it.
            return Report(error, ex.Message, InputError);
        }
        catch (DbException ex)
        {
            return Report(error, $"the database cannot be used: {ex.Message}", InputError);
        }
    }
}
