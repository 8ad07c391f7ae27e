using System.Buffers.Binary;
using System.Buffers.Text;
using System.Data.Common;

namespace ZoomChat.Server.Storage;

/// <summary>
/// A parsed search (docs/search.md#the-query-language). A message matches when it holds every phrase of
/// <paramref name="Phrases"/> and none of <paramref name="ExcludedPhrases"/>, and passes every filter given.
/// A phrase is text as the user wrote it (one word or several); the backend splits it into words with its
/// own tokenizer, case- and accent-insensitively, and matches the words next to each other, in order.
/// </summary>
/// <param name="Phrases">Words and phrases a message must hold; never empty.</param>
/// <param name="ExcludedPhrases">Words and phrases a message must not hold.</param>
/// <param name="Sender">Only messages sent by this (lower-case) e-mail, or null.</param>
/// <param name="SessionId">Only messages of the session of this public id, or null.</param>
/// <param name="FromMs">Only messages at or after this instant (Unix ms), or null.</param>
/// <param name="ToMs">Only messages at or before this instant (Unix ms), or null.</param>
internal sealed record SearchQuery(
    IReadOnlyList<string> Phrases,
    IReadOnlyList<string> ExcludedPhrases,
    string? Sender = null,
    string? SessionId = null,
    long? FromMs = null,
    long? ToMs = null);

/// <summary>One message found by a search.</summary>
/// <param name="SessionId">The public id of its session.</param>
/// <param name="MessageId">Its id, or null when it was imported without one.</param>
/// <param name="DateTimeMs">When it was sent (Unix ms).</param>
/// <param name="Sender">Its sender's e-mail, or null.</param>
/// <param name="Message">Its text.</param>
internal sealed record SearchHit(string SessionId, string? MessageId, long DateTimeMs, string? Sender, string Message);

/// <summary>One page of hits, newest first, and where the next page starts (null: none).</summary>
internal sealed record SearchPage(IReadOnlyList<SearchHit> Hits, SearchCursor? Next)
{
    /// <summary>
    /// The page from the rows of a store's search, asked for one more than <paramref name="limit"/> (whether it
    /// is there says whether a next page is): arrival, date_time, session id, message_id, sender, stored text.
    /// </summary>
    /// <param name="text">The message as stored, as the user reads it.</param>
    public static async Task<SearchPage> ReadAsync(DbDataReader reader, int limit, Func<string, string> text, CancellationToken cancellationToken)
    {
        var hits = new List<SearchHit>(Math.Min(limit, 1000));
        var lastArrival = 0L;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (hits.Count == limit)
            {
                return new SearchPage(hits, new SearchCursor(hits[^1].DateTimeMs, lastArrival));
            }

            lastArrival = reader.GetInt64(0);
            hits.Add(new SearchHit(
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetInt64(1),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                text(reader.GetString(5))));
        }

        return new SearchPage(hits, null);
    }
}

/// <summary>
/// Where a search page starts: after the message of this date_time and arrival in the order of
/// <see cref="IArchiveSearch.SearchAsync"/>. Shown to users only as the opaque text of <see cref="ToString"/>.
/// </summary>
internal readonly record struct SearchCursor(long DateTimeMs, long Arrival)
{
    /// <summary>The cursor as opaque text: 16 bytes, base64url.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes, DateTimeMs);
        BinaryPrimitives.WriteInt64BigEndian(bytes[8..], Arrival);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>Reads the text of <see cref="ToString"/>; false for anything else.</summary>
    public static bool TryParse(string? text, out SearchCursor cursor)
    {
        cursor = default;
        Span<byte> bytes = stackalloc byte[18];
        if (text is not { Length: 22 } || !Base64Url.IsValid(text, out var length) || length != 16
            || !Base64Url.TryDecodeFromChars(text, bytes, out var written) || written != 16)
        {
            return false;
        }

        cursor = new SearchCursor(BinaryPrimitives.ReadInt64BigEndian(bytes), BinaryPrimitives.ReadInt64BigEndian(bytes[8..]));
        return true;
    }
}
