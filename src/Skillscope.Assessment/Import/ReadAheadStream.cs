using System.IO.Pipelines;
using System.Runtime.ExceptionServices;

namespace Skillscope.Assessment.Import;

/// <summary>
/// A source stream read on another thread, up to a set number of bytes ahead of the reader (an import
/// inflates gzip while it parses). When the source fails, the reader first gets every byte read before
/// the failure and then the failure, as the source itself would have given them: an import keeps the
/// rows before a damaged part of a file.
/// </summary>
internal sealed class ReadAheadStream : Stream
{
    private readonly Stream _buffered;
    private Exception? _failure;

    /// <param name="source">Read to its end and disposed by the reading thread.</param>
    /// <param name="aheadBytes">How far ahead of the reader the source is read.</param>
    /// <param name="describe">What the reader is given for a failure of the source.</param>
    public ReadAheadStream(Stream source, int aheadBytes, Func<Exception, Exception> describe)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: aheadBytes, resumeWriterThreshold: aheadBytes / 2, useSynchronizationContext: false));
        _buffered = pipe.Reader.AsStream();
        _ = Task.Run(async () =>
        {
            try
            {
                await source.CopyToAsync(pipe.Writer).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                // Every failure ends the pipe (a reader left waiting on an open one would wait for ever),
                // but as an end: the reader is given the bytes already in it before the failure.
                Volatile.Write(ref _failure, describe(exception));
            }
            finally
            {
                await pipe.Writer.CompleteAsync().ConfigureAwait(false);
                await source.DisposeAsync().ConfigureAwait(false);
            }
        });
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Ended(_buffered.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Ended(_buffered.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Ended(await _buffered.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Ends the pipe for the reading thread too: it stops and disposes the source.
            _buffered.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The count read; at the end, the source's failure when it had one.</summary>
    private int Ended(int read)
    {
        if (read == 0 && Volatile.Read(ref _failure) is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        return read;
    }
}
