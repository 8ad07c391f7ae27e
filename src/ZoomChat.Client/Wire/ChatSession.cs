using System.Text.Json.Serialization;

namespace ZoomChat.Client.Wire;

/// <summary>One chat session in a <see cref="ChatListResponse"/>.</summary>
public sealed record ChatSession
{
    /// <summary>The session's stable public id, the <c>session_id</c> that <c>chat/get</c> takes.</summary>
    [JsonPropertyName("session_id")]
    public required string SessionId { get; init; }

    /// <summary><c>Group</c> or <c>1:1</c> (see <see cref="ChatSessionTypes"/>).</summary>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    /// <summary>For a <c>1:1</c> session the two participants' e-mails joined by a comma; empty for a group.</summary>
    [JsonPropertyName("participants")]
    public required string Participants { get; init; }

    /// <summary>The group's name; empty for a <c>1:1</c> session.</summary>
    [JsonPropertyName("group_name")]
    public required string GroupName { get; init; }

    /// <summary>The time of the session's latest message inside the requested range, in UTC.</summary>
    [JsonPropertyName("last_message_send_time")]
    public required DateTimeOffset LastMessageSendTime { get; init; }
}
