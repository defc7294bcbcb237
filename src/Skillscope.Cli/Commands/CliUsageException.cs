namespace Skillscope.Cli.Commands;

/// <summary>A command line that parses but cannot be carried out as given (exit code 2, the message saying what to give instead).</summary>
internal sealed class CliUsageException(string message) : Exception(message);
