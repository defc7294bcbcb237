namespace Skillscope.Cli.Commands;

/// <summary>
/// Where a command writes its result file. A file is written beside its target under a temporary name and
/// renamed into place only on <see cref="Commit"/>, so a failure half-way never leaves a truncated result
/// (nor destroys the previous one).
/// </summary>
internal sealed class OutputSink : IDisposable
{
    private readonly string? _target;
    private readonly string? _temporary;
    private bool _committed;

    private OutputSink(TextWriter writer, string? target, string? temporary)
    {
        Writer = writer;
        _target = target;
        _temporary = temporary;
    }

    public TextWriter Writer { get; }

    public static OutputSink Open(string path, TextWriter standardOutput)
    {
        if (path == "-")
        {
            return new OutputSink(standardOutput, null, null);
        }

        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        var writer = new StreamWriter(temporary, append: false, new System.Text.UTF8Encoding(false), bufferSize: 1 << 16);
        return new OutputSink(writer, full, temporary);
    }

    public void Commit()
    {
        Writer.Flush();
        if (_target is not null)
        {
            Writer.Dispose();
            File.Move(_temporary!, _target, overwrite: true);
        }

        _committed = true;
    }

    public void Dispose()
    {
        if (_target is null)
        {
            Writer.Flush();
            return;
        }

        Writer.Dispose();
        if (!_committed && File.Exists(_temporary))
        {
            File.Delete(_temporary);
        }
    }
}
