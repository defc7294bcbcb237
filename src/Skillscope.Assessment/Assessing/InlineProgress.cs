namespace Skillscope.Assessment.Assessing;

/// <summary>An <see cref="IProgress{T}"/> that reports on the calling thread, in order (Progress&lt;T&gt; posts to the thread pool).</summary>
public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
