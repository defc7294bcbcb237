using System.Text;

namespace Skillscope.Scoring.Registry;

/// <summary>
/// Sticky traffic assignment: an entity id always lands in the same of 100 buckets for a model
/// (FNV-1a over the model name and the id), and buckets are handed to versions by cumulative share.
/// </summary>
public static class TrafficRouter
{
    /// <summary>The bucket (0–99) of an entity for a model.</summary>
    public static int Bucket(string model, string entityId)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(entityId);
        ulong hash = 14695981039346656037UL;
        Span<byte> buffer = stackalloc byte[256];
        foreach (var part in new[] { model, "\0", entityId })
        {
            int length = Encoding.UTF8.GetMaxByteCount(part.Length) <= buffer.Length
                ? Encoding.UTF8.GetBytes(part, buffer)
                : -1;
            var bytes = length >= 0 ? buffer[..length] : Encoding.UTF8.GetBytes(part);
            foreach (byte b in bytes)
            {
                hash = (hash ^ b) * 1099511628211UL;
            }
        }

        return (int)(hash % 100);
    }

    /// <summary>The version an entity is assigned under <paramref name="split"/>.</summary>
    public static string Assign(TrafficSplit split, string entityId)
    {
        ArgumentNullException.ThrowIfNull(split);
        int bucket = Bucket(split.Name, entityId), cumulative = 0;
        foreach (var share in split.Shares)
        {
            cumulative += share.Percent;
            if (bucket < cumulative)
            {
                return share.Version;
            }
        }

        return split.Shares[^1].Version;
    }
}
