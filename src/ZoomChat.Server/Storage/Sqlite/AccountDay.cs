using System.Buffers.Binary;

namespace ZoomChat.Server.Storage.Sqlite;

/// <summary>One session's messages on one UTC day: the latest message time and the newest arrival among them.</summary>
internal readonly record struct SessionDay(long SessionId, long LastTime, long MaxArrival);

/// <summary>
/// The sessions of one account on one UTC day, as one <c>account_days</c> row holds them (schema
/// version 5): per session, ascending by id, its <see cref="SessionDay"/> in three big-endian 64-bit
/// integers. chat/list reads one row per day of its window instead of one per session and day:
/// stepping through a row per session day was most of its time on a large archive
/// (docs/benchmarks.md#fourth-pass).
/// </summary>
internal static class AccountDay
{
    public const int EntrySize = 24;

    public static int Count(ReadOnlySpan<byte> sessions) => sessions.Length / EntrySize;

    public static SessionDay Read(ReadOnlySpan<byte> sessions, int index)
    {
        var entry = sessions.Slice(index * EntrySize, EntrySize);
        return new SessionDay(
            BinaryPrimitives.ReadInt64BigEndian(entry),
            BinaryPrimitives.ReadInt64BigEndian(entry[8..]),
            BinaryPrimitives.ReadInt64BigEndian(entry[16..]));
    }

    /// <summary><paramref name="stored"/> without the entry of <paramref name="sessionId"/>, if it has one.</summary>
    public static byte[] Without(ReadOnlySpan<byte> stored, long sessionId)
    {
        for (var i = 0; i < Count(stored); i++)
        {
            if (Read(stored, i).SessionId == sessionId)
            {
                return [.. stored[..(i * EntrySize)], .. stored[((i + 1) * EntrySize)..]];
            }
        }

        return stored.ToArray();
    }

    /// <summary>
    /// <paramref name="stored"/> with <paramref name="added"/> (ascending by session id, each session
    /// once) folded in: a session's latest time is the later of the two, its newest arrival the larger.
    /// </summary>
    public static byte[] Merge(ReadOnlySpan<byte> stored, IReadOnlyList<SessionDay> added)
    {
        var merged = new List<SessionDay>(Count(stored) + added.Count);
        var next = 0;
        for (var i = 0; i < Count(stored); i++)
        {
            var old = Read(stored, i);
            while (next < added.Count && added[next].SessionId < old.SessionId)
            {
                merged.Add(added[next++]);
            }

            if (next < added.Count && added[next].SessionId == old.SessionId)
            {
                var day = added[next++];
                merged.Add(new SessionDay(old.SessionId, Math.Max(old.LastTime, day.LastTime), Math.Max(old.MaxArrival, day.MaxArrival)));
            }
            else
            {
                merged.Add(old);
            }
        }

        merged.AddRange(added.Skip(next));

        var sessions = new byte[merged.Count * EntrySize];
        for (var k = 0; k < merged.Count; k++)
        {
            var entry = sessions.AsSpan(k * EntrySize, EntrySize);
            BinaryPrimitives.WriteInt64BigEndian(entry, merged[k].SessionId);
            BinaryPrimitives.WriteInt64BigEndian(entry[8..], merged[k].LastTime);
            BinaryPrimitives.WriteInt64BigEndian(entry[16..], merged[k].MaxArrival);
        }

        return sessions;
    }
}
