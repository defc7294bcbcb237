using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Skillscope.Assessment.Import;

/// <summary>
/// Maps a sequence chunk by chunk on the thread pool, several chunks at once, and gives the results back
/// in the sequence's order. At most <c>ahead</c> chunks are mapped or waiting at a time, so a slow
/// consumer (a database) holds the reader back instead of letting memory grow.
/// </summary>
internal static class OrderedParallel
{
    public static async IAsyncEnumerable<TResult> Map<TChunk, TResult>(IEnumerable<TChunk> chunks, Func<TChunk, List<TResult>> map, int ahead,
        [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var mapped = Channel.CreateBounded<Task<List<TResult>>>(new BoundedChannelOptions(ahead) { SingleReader = true, SingleWriter = true });
        var producing = Task.Run(async () =>
        {
            try
            {
                foreach (var chunk in chunks)
                {
                    await mapped.Writer.WriteAsync(Task.Run(() => map(chunk), stop.Token), stop.Token).ConfigureAwait(false);
                }

                mapped.Writer.Complete();
            }
            catch (Exception exception)
            {
                // Reading the chunks failed (a damaged file) or the consumer stopped: the consumer sees why.
                mapped.Writer.Complete(exception);
            }
        }, CancellationToken.None);

        try
        {
            while (await mapped.Reader.WaitToReadAsync(cancellation).ConfigureAwait(false))
            {
                while (mapped.Reader.TryRead(out var task))
                {
                    foreach (var result in await task.ConfigureAwait(false))
                    {
                        yield return result;
                    }
                }
            }
        }
        finally
        {
            // Stopped early (an error on the consumer's side): the producer and the chunks in flight end too.
            await stop.CancelAsync().ConfigureAwait(false);
            await producing.ConfigureAwait(false);
            while (mapped.Reader.TryRead(out var task))
            {
                await task.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
    }
}
