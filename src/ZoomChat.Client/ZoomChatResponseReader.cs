using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ZoomChat.Client.Wire;

namespace ZoomChat.Client;

/// <summary>
/// Reads one answer: the error envelope becomes a <see cref="ZoomChatException"/> whatever the HTTP status
/// (Zoom v1 tells clients to look for it in the body, docs/api.md#errors), anything else is the response.
/// </summary>
internal static class ZoomChatResponseReader
{
    private static ReadOnlySpan<byte> ErrorProperty => "error"u8;

    public static async Task<T> ReadAsync<T>(
        HttpResponseMessage response, JsonTypeInfo<T> typeInfo, TimeProvider time, CancellationToken cancellationToken)
    {
        // A page is at most 30 rows, so reading it whole is cheap and lets the envelope be told apart first.
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (IsErrorEnvelope(body))
        {
            var error = JsonSerializer.Deserialize(body, ZoomChatJsonContext.Default.ErrorResponse)!.Error;
            throw new ZoomChatException(error.Code, error.Message, response.StatusCode, RetryAfter(response, time));
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"The server answered {(int)response.StatusCode} ({response.ReasonPhrase}) without a v1 error envelope.",
                inner: null,
                response.StatusCode);
        }

        return JsonSerializer.Deserialize(body, typeInfo)
            ?? throw new JsonException($"The server answered null instead of a {typeof(T).Name}.");
    }

    /// <summary>Whether the body is a JSON object whose first key is <c>error</c>; a response never has that key.</summary>
    private static bool IsErrorEnvelope(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        try
        {
            return reader.Read()
                && reader.TokenType == JsonTokenType.StartObject
                && reader.Read()
                && reader.TokenType == JsonTokenType.PropertyName
                && reader.ValueTextEquals(ErrorProperty);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}
