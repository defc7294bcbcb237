using System.Buffers;

namespace Skillscope.Server.Http;

/// <summary>
/// A buffer writer over arrays rented from the shared pool, doubling as it fills, for bytes that must be
/// whole before they are used: an answer before any byte goes to the client (a serialiser that fails half-way
/// leaves the response untouched for the error handler), a request body before it is parsed. Without a new
/// large-object array each time. Hand-written rather than Microsoft.IO.RecyclableMemoryStream: its pooled
/// blocks give a body in pieces, and the parser needs one contiguous span.
/// </summary>
/// <param name="firstSize">Bytes to rent at first (the pool may give more).</param>
internal sealed class PooledBufferWriter(int firstSize = 64 * 1024) : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(firstSize);
    private int _written;

    /// <summary>What has been written so far; valid until the next write or <see cref="Dispose"/>.</summary>
    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _written);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _written);
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _written = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Reserve(int sizeHint)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        int needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(checked(_buffer.Length * 2), checked(_written + needed)));
        _buffer.AsSpan(0, _written).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
