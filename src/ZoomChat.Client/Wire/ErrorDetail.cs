using System.Text.Json.Serialization;

namespace ZoomChat.Client.Wire;

/// <summary>The code and message of an <see cref="ErrorResponse"/>.</summary>
public sealed record ErrorDetail
{
    /// <summary>The v1 error code; see <see cref="ZoomErrorCodes"/>.</summary>
    [JsonPropertyName("code")]
    public required int Code { get; init; }

    /// <summary>A message for people.</summary>
    [JsonPropertyName("message")]
    public required string Message { get; init; }
}
