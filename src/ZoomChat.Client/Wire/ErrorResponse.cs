using System.Text.Json.Serialization;

namespace ZoomChat.Client.Wire;

/// <summary>
/// The envelope of every error: <c>{"error":{"code":300,"message":"..."}}</c>. Zoom v1 tells
/// clients to look for this section in the body, whatever the HTTP status (docs/api.md#errors).
/// </summary>
public sealed record ErrorResponse
{
    /// <summary>The error.</summary>
    [JsonPropertyName("error")]
    public required ErrorDetail Error { get; init; }
}
