namespace Skillscope.Trees.Format;

/// <summary>A growable array of numbers used while parsing; avoids List&lt;T&gt; boxing nothing but its own growth.</summary>
internal struct NumberBuffer<T>(int capacity)
    where T : unmanaged
{
    private T[] _items = new T[Math.Max(capacity, 4)];

    public int Count { get; private set; }

    public readonly T this[int index] => _items[index];

    public void Add(T value)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = value;
    }

    public readonly T[] ToArray() => _items.AsSpan(0, Count).ToArray();
}
