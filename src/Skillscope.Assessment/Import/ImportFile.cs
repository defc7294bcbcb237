using System.IO.Compression;
using System.Text;

namespace Skillscope.Assessment.Import;

/// <summary>
/// Opens import files as text, plain or gzip-compressed (a name ending in <c>.gz</c>): a million-student
/// district is tens of gigabytes as plain JSONL and a tenth of that compressed, so it can be kept, moved
/// and imported without unpacking it first.
/// </summary>
public static class ImportFile
{
    private const int BufferBytes = 1 << 16;
    private const int AheadBytes = 8 << 20;

    /// <summary>Whether the name ends in <c>.gz</c>.</summary>
    public static bool IsCompressed(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>The name without a trailing <c>.gz</c>: what tells CSV from JSONL.</summary>
    public static string ContentName(string path) => IsCompressed(path) ? path[..^3] : path;

    /// <summary>The path if it exists, else the same path with <c>.gz</c> if that exists, else the path as given.</summary>
    public static string Resolve(string path) => !File.Exists(path) && File.Exists(path + ".gz") ? path + ".gz" : path;

    /// <summary>A UTF-8 reader over the file, decompressing it when its name ends in <c>.gz</c>.</summary>
    public static StreamReader OpenText(string path) => new(OpenBytes(path), detectEncodingFromByteOrderMarks: true);

    /// <summary>
    /// The file's bytes as UTF-8, decompressed when its name ends in <c>.gz</c>. A file that starts with a
    /// UTF-16 byte-order mark (what some Windows tools write) is transcoded; a UTF-8 one keeps its mark.
    /// </summary>
    public static Stream OpenUtf8(string path)
    {
        Span<byte> start = stackalloc byte[2];
        int read;
        using (var sniff = OpenBytes(path))
        {
            read = sniff.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        }

        var bytes = OpenBytes(path);
        return read < 2 ? bytes : (start[0], start[1]) switch
        {
            (0xFF, 0xFE) => Encoding.CreateTranscodingStream(bytes, Encoding.Unicode, Encoding.UTF8),
            (0xFE, 0xFF) => Encoding.CreateTranscodingStream(bytes, Encoding.BigEndianUnicode, Encoding.UTF8),
            _ => bytes,
        };
    }

    private static Stream OpenBytes(string path)
    {
        Stream file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferBytes);
        return IsCompressed(path) ? DecompressedAhead(new GZipStream(file, CompressionMode.Decompress), path) : file;
    }

    /// <summary>
    /// The decompressed bytes, inflated on another thread a few megabytes ahead of the reader: inflating
    /// was a sixth of the parsing thread's time, and the other core had time to spare. A damaged file's
    /// error reaches the reader after the bytes before the damage, as an <see cref="IOException"/> naming
    /// the file (so that it cannot be mistaken for an error of the rows' destination).
    /// </summary>
    private static ReadAheadStream DecompressedAhead(Stream gzip, string path) =>
        new ReadAheadStream(gzip, AheadBytes, exception => exception is InvalidDataException
            ? new IOException($"{path} cannot be read as gzip: {exception.Message}", exception)
            : exception);

    /// <summary>A UTF-8 writer (no byte-order mark) to a new file, compressing it (fastest level) when asked.</summary>
    public static StreamWriter CreateText(string path, bool compress)
    {
        Stream file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, BufferBytes);
        return new StreamWriter(compress ? new GZipStream(file, CompressionLevel.Fastest) : file, new System.Text.UTF8Encoding(false));
    }
}
