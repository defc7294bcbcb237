using System.CommandLine;
using System.CommandLine.Parsing;
using Skillscope.Cli.Commands;

namespace Skillscope.Cli;

/// <summary>
/// A command line that does not parse: each error first, with the nearest valid option or verb for a
/// misspelt one, then where the full help is; exit code 2 as the README documents. The library's own
/// answer printed the whole help and exited 1, and its typo correction (part of that answer) suggested
/// any option for any token ("'y' was not matched. Did you mean -h?"): suggestions here are for the
/// misspelt token only, and only when one name is close.
/// </summary>
internal static class UsageErrors
{
    public static int Report(ParseResult parse, TextWriter error)
    {
        var command = parse.CommandResult.Command;
        foreach (var parseError in parse.Errors)
        {
            string message = parseError.Message;
            if (Unmatched(parse, message) is { } token && Nearest(token, command) is { } nearest)
            {
                message += $" Did you mean '{nearest}'?";
            }

            CliFailure.Report(error, message);
        }

        error.WriteLine($"Run '{Path(parse.CommandResult)} --help' for its usage and options.");
        return CliFailure.UsageError;
    }

    private static string? Unmatched(ParseResult parse, string message)
    {
        foreach (string token in parse.UnmatchedTokens)
        {
            if (message.Contains($"'{token}'", StringComparison.Ordinal))
            {
                return token;
            }
        }

        return null;
    }

    /// <summary>The option or sub-verb of <paramref name="command"/> spelt most like <paramref name="token"/>, if one is close.</summary>
    private static string? Nearest(string token, Command command)
    {
        var names = new List<string>();
        foreach (var option in command.Options)
        {
            names.Add(option.Name);
            names.AddRange(option.Aliases);
        }

        foreach (var sub in command.Subcommands)
        {
            names.Add(sub.Name);
        }

        string? best = null;
        int bestDistance = Math.Max(2, token.Length / 3) + 1;
        foreach (string name in names)
        {
            int distance = Distance(token, name);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (name, distance);
            }
        }

        return best;
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static string Path(CommandResult result)
    {
        var names = new Stack<string>();
        for (SymbolResult? at = result; at is CommandResult verb; at = verb.Parent)
        {
            names.Push(verb.Parent is null ? "skillscope" : verb.Command.Name);
        }

        return string.Join(' ', names);
    }
}
