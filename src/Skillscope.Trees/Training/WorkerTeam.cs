using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Skillscope.Trees.Training;

/// <summary>
/// A fixed team of threads for the many short parallel steps of training (several per tree level,
/// a few milliseconds each). Between steps the helpers spin for a moment instead of sleeping: waking
/// a parked thread-pool thread costs more than a small step takes, which left the second core idle
/// under <see cref="Parallel.For(int, int, Action{int})"/>. After a short idle time they block, so an
/// idle team costs nothing.
/// </summary>
internal sealed class WorkerTeam : IDisposable
{
    // Long enough to bridge the serial work between two steps (quantising, sibling histograms), short
    // enough not to burn a core when training is waiting on something else.
    private static readonly long SpinTicks = Stopwatch.Frequency / 500;

    private readonly Thread[] _helpers;
    private readonly object _gate = new();
    private Step? _step;
    private long _generation;
    private bool _disposed;

    public WorkerTeam(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _helpers = new Thread[threads - 1];
        for (int i = 0; i < _helpers.Length; i++)
        {
            int worker = i + 1;
            _helpers[i] = new Thread(() => Help(worker)) { IsBackground = true, Name = $"skillscope-training-{worker}" };
            _helpers[i].Start();
        }
    }

    /// <summary>Threads in the team, the caller's included; worker indices run from 0 to this minus 1.</summary>
    public int Size => _helpers.Length + 1;

    /// <summary>
    /// Runs <paramref name="body"/>(worker, item) for every item in [0, <paramref name="count"/>), items
    /// handed out in order to whichever thread is free; returns when all are done. The calling thread
    /// works too, as worker 0. The first exception thrown by a body is rethrown here once every started
    /// item has finished; items not yet started are skipped.
    /// </summary>
    public void For(int count, Action<int, int> body)
    {
        if (count <= 0)
        {
            return;
        }

        var step = new Step(count, body);
        if (_helpers.Length > 0 && count > 1)
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                Volatile.Write(ref _step, step);
                Interlocked.Increment(ref _generation);
                Monitor.PulseAll(_gate);
            }
        }

        step.Work(0);
        step.WaitUntilDone();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            Interlocked.Increment(ref _generation);
            Monitor.PulseAll(_gate);
        }

        foreach (var helper in _helpers)
        {
            helper.Join();
        }
    }

    private void Help(int worker)
    {
        long seen = 0;
        while (true)
        {
            long generation = WaitForNewGeneration(seen);
            if (Volatile.Read(ref _disposed))
            {
                return;
            }

            seen = generation;
            Volatile.Read(ref _step)!.Work(worker);
        }
    }

    private long WaitForNewGeneration(long seen)
    {
        long spinUntil = Stopwatch.GetTimestamp() + SpinTicks;
        long generation;
        while ((generation = Interlocked.Read(ref _generation)) == seen)
        {
            if (Stopwatch.GetTimestamp() < spinUntil)
            {
                Thread.SpinWait(32);
                continue;
            }

            lock (_gate)
            {
                while (Interlocked.Read(ref _generation) == seen)
                {
                    Monitor.Wait(_gate);
                }
            }
        }

        return generation;
    }

    /// <summary>One call to <see cref="For"/>: its items, the next one to hand out, and how many are finished.</summary>
    private sealed class Step(int count, Action<int, int> body)
    {
        private readonly object _doneGate = new();
        private int _next = -1;
        private int _finished;
        private ExceptionDispatchInfo? _failure;

        public void Work(int worker)
        {
            while (Interlocked.Increment(ref _next) is var item && item < count)
            {
                int finishing = 1;
                try
                {
                    body(worker, item);
                }
                catch (Exception exception)
                {
                    Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(exception), null);

                    // Hand out nothing more and count the items never started as finished.
                    finishing += Math.Max(0, count - 1 - Interlocked.Exchange(ref _next, count));
                }

                if (Interlocked.Add(ref _finished, finishing) == count)
                {
                    lock (_doneGate)
                    {
                        Monitor.PulseAll(_doneGate);
                    }
                }
            }
        }

        public void WaitUntilDone()
        {
            long spinUntil = Stopwatch.GetTimestamp() + SpinTicks;
            while (Volatile.Read(ref _finished) < count)
            {
                if (Stopwatch.GetTimestamp() < spinUntil)
                {
                    Thread.SpinWait(32);
                    continue;
                }

                lock (_doneGate)
                {
                    while (Volatile.Read(ref _finished) < count)
                    {
                        Monitor.Wait(_doneGate);
                    }
                }
            }

            _failure?.Throw();
        }
    }
}
