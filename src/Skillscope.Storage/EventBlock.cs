using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Skillscope.Assessment.Evidence;

namespace Skillscope.Storage;

/// <summary>
/// Several of one student's behaviour events as one stored value. A learning game sends a student
/// hundreds of events a term, and a row per event made the import and the feature refresh spend most
/// of their time on per-row work (a key per row, a B-tree insert per row, a string read per column);
/// a block is written and read as one value, with each session, kind and task written once.
/// </summary>
/// <remarks>
/// Layout (format 1): the format byte; the distinct strings (count, then UTF-8 length and bytes each);
/// the event count; per event a flags byte, the session and kind as string numbers, the time as the
/// zig-zag difference in ticks from the previous event, then, when flagged, the task (string number),
/// the latency (IEEE double, little-endian), the source's event id (string number) and the key the
/// event had when events were stored a row each (string number). Integers are LEB128 varints.
/// </remarks>
internal static class EventBlock
{
    private const byte Format = 1;
    private const byte HasTask = 1, HasLatency = 2, HasSourceId = 4, HasLegacyKey = 8;

    /// <summary>The block of <paramref name="events"/>, in their order; <paramref name="legacyKeys"/> (same length, or null) are kept with them.</summary>
    public static byte[] Encode(IReadOnlyList<BehaviorEvent> events, IReadOnlyList<string?>? legacyKeys = null)
    {
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        var strings = new List<string>();
        int Number(string value)
        {
            if (!numbers.TryGetValue(value, out int number))
            {
                numbers[value] = number = strings.Count;
                strings.Add(value);
            }

            return number;
        }

        var body = new BlockWriter(events.Count * 12);
        body.Varint((ulong)events.Count);
        long previous = 0;
        for (int i = 0; i < events.Count; i++)
        {
            var e = events[i];
            string? legacyKey = legacyKeys?[i];
            byte flags = (byte)((e.TaskId is null ? 0 : HasTask) | (e.LatencyMs is null ? 0 : HasLatency) | (e.Id is null ? 0 : HasSourceId) | (legacyKey is null ? 0 : HasLegacyKey));
            body.Byte(flags);
            body.Varint((ulong)Number(e.SessionId));
            body.Varint((ulong)Number(e.Kind));
            long ticks = SqlTime.Utc(e.At).Ticks;
            body.Varint(ZigZag(ticks - previous));
            previous = ticks;
            if (e.TaskId is { } task)
            {
                body.Varint((ulong)Number(task));
            }

            if (e.LatencyMs is { } latency)
            {
                body.Double(latency);
            }

            if (e.Id is { } id)
            {
                body.Varint((ulong)Number(id));
            }

            if (legacyKey is not null)
            {
                body.Varint((ulong)Number(legacyKey));
            }
        }

        var head = new BlockWriter(strings.Count * 16 + 8);
        head.Byte(Format);
        head.Varint((ulong)strings.Count);
        foreach (string value in strings)
        {
            head.Text(value);
        }

        return [.. head.Written, .. body.Written];
    }

    /// <summary>Adds the block's events (owned by <paramref name="studentId"/>) to <paramref name="events"/>, and each one's legacy key, when asked, to <paramref name="legacyKeys"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a block this version can read.</exception>
    public static void Decode(string studentId, ReadOnlySpan<byte> block, List<BehaviorEvent> events, List<string?>? legacyKeys = null)
    {
        var reader = new BlockReader(block);
        if (reader.Byte() != Format)
        {
            throw new InvalidDataException($"The events of student \"{studentId}\" are stored in a format this version cannot read.");
        }

        var strings = new string[reader.Count()];
        for (int i = 0; i < strings.Length; i++)
        {
            strings[i] = reader.Text();
        }

        int count = reader.Count();
        long ticks = 0;
        for (int i = 0; i < count; i++)
        {
            byte flags = reader.Byte();
            string session = strings[reader.Index(strings.Length)];
            string kind = strings[reader.Index(strings.Length)];
            ticks += UnZigZag(reader.Varint());
            string? task = (flags & HasTask) != 0 ? strings[reader.Index(strings.Length)] : null;
            double? latency = (flags & HasLatency) != 0 ? reader.Double() : null;
            string? id = (flags & HasSourceId) != 0 ? strings[reader.Index(strings.Length)] : null;
            string? legacyKey = (flags & HasLegacyKey) != 0 ? strings[reader.Index(strings.Length)] : null;
            if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
            {
                throw new InvalidDataException($"An event of student \"{studentId}\" has a time out of range.");
            }

            events.Add(new BehaviorEvent(studentId, session, new DateTime(ticks, DateTimeKind.Utc), kind, task, latency, id));
            legacyKeys?.Add(legacyKey);
        }

        if (!reader.AtEnd)
        {
            throw new InvalidDataException($"The events of student \"{studentId}\" are followed by bytes this version cannot read.");
        }
    }

    /// <summary>A block's key: its content's hash, so writing the same block twice stores it once.</summary>
    public static string Key(ReadOnlySpan<byte> block) => Convert.ToHexStringLower(SHA256.HashData(block).AsSpan(0, 16));

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    private sealed class BlockWriter(int capacity)
    {
        private byte[] _bytes = new byte[Math.Max(capacity, 16)];
        private int _length;

        public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, _length);

        public void Byte(byte value)
        {
            Reserve(1);
            _bytes[_length++] = value;
        }

        public void Varint(ulong value)
        {
            Reserve(10);
            while (value >= 0x80)
            {
                _bytes[_length++] = (byte)(value | 0x80);
                value >>= 7;
            }

            _bytes[_length++] = (byte)value;
        }

        public void Double(double value)
        {
            Reserve(8);
            BinaryPrimitives.WriteDoubleLittleEndian(_bytes.AsSpan(_length), value);
            _length += 8;
        }

        public void Text(string value)
        {
            int count = Encoding.UTF8.GetByteCount(value);
            Varint((ulong)count);
            Reserve(count);
            _length += Encoding.UTF8.GetBytes(value, _bytes.AsSpan(_length));
        }

        private void Reserve(int more)
        {
            if (_length + more > _bytes.Length)
            {
                Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + more));
            }
        }
    }

    private ref struct BlockReader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _at;

        public readonly bool AtEnd => _at == _bytes.Length;

        public byte Byte() => _at < _bytes.Length ? _bytes[_at++] : throw Truncated();

        public ulong Varint()
        {
            ulong value = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                byte b = Byte();
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }

            throw new InvalidDataException("A stored event block holds a number longer than 64 bits.");
        }

        /// <summary>A count or length, bounded by what is left to read (so damaged bytes cannot ask for a huge array).</summary>
        public int Count()
        {
            ulong value = Varint();
            return value <= (ulong)(_bytes.Length - _at) ? (int)value : throw Truncated();
        }

        public int Index(int limit)
        {
            ulong value = Varint();
            return value < (ulong)limit ? (int)value : throw new InvalidDataException("A stored event block names a string it does not hold.");
        }

        public double Double()
        {
            if (_bytes.Length - _at < 8)
            {
                throw Truncated();
            }

            double value = BinaryPrimitives.ReadDoubleLittleEndian(_bytes[_at..]);
            _at += 8;
            return value;
        }

        public string Text()
        {
            int length = Count();
            string value = Encoding.UTF8.GetString(_bytes.Slice(_at, length));
            _at += length;
            return value;
        }

        private static InvalidDataException Truncated() => new("A stored event block ends early.");
    }
}
