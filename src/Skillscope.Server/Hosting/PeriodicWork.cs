namespace Skillscope.Server.Hosting;

/// <summary>The loop of a worker that does one thing every interval: a failure is handed over and tried again next time; stopping ends it quietly.</summary>
internal static class PeriodicWork
{
    /// <param name="every">The interval.</param>
    /// <param name="time">The clock its timer runs on.</param>
    /// <param name="runFirst">Whether the work runs once at once, before the first interval has passed.</param>
    /// <param name="work">The work.</param>
    /// <param name="failed">Told of each failure (the loop goes on).</param>
    /// <param name="stopping">Ends the loop.</param>
    public static async Task RunAsync(TimeSpan every, TimeProvider time, bool runFirst, Func<CancellationToken, Task> work, Action<Exception> failed, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(every, time);
        try
        {
            if (!runFirst && !await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                return;
            }

            do
            {
                try
                {
                    await work(stopping).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !stopping.IsCancellationRequested)
                {
                    failed(exception);
                }
            }
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
