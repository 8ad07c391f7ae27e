using System.Text.Json.Serialization;

namespace ZoomChat.Client.Wire;

/// <summary>One message in a <see cref="ChatGetResponse"/>.</summary>
public sealed record ChatMessage
{
    /// <summary>The text of the message.</summary>
    [JsonPropertyName("message")]
    public required string Message { get; init; }

    /// <summary>The sender's e-mail; empty when the sender is unknown.</summary>
    [JsonPropertyName("sender")]
    public required string Sender { get; init; }

    /// <summary>When the message was sent, in UTC with millisecond precision.</summary>
    [JsonPropertyName("date_time")]
    public required DateTimeOffset DateTime { get; init; }
}
