using System.Text.Json.Serialization;

namespace ZoomChat.Client.Wire;

/// <summary>
/// The body of a successful <c>POST /v1/chat/list</c>: the chat sessions of the account that have
/// a message in the requested range, one page at a time.
/// </summary>
/// <remarks>Shape and key order as in the seed specification's example (docs/api.md#responses, docs/api.md#listing-sessions-chatlist).</remarks>
public sealed record ChatListResponse
{
    /// <summary>The start of the range, as the request gave it, in UTC.</summary>
    [JsonPropertyName("from")]
    public required DateTimeOffset From { get; init; }

    /// <summary>The end of the range, as the request gave it, in UTC.</summary>
    [JsonPropertyName("to")]
    public required DateTimeOffset To { get; init; }

    /// <summary>The number of sessions a page holds (at most 30).</summary>
    [JsonPropertyName("page_size")]
    public required int PageSize { get; init; }

    /// <summary>The number of pages of the whole traversal; 0 when nothing matches.</summary>
    [JsonPropertyName("page_count")]
    public required int PageCount { get; init; }

    /// <summary>The token for the next page, or an empty string on the last page.</summary>
    [JsonPropertyName("next_page_token")]
    public required string NextPageToken { get; init; }

    /// <summary>The sessions of this page.</summary>
    [JsonPropertyName("chat_list")]
    public required IReadOnlyList<ChatSession> ChatList { get; init; }
}
