using System.Text.Json.Serialization;

namespace ZoomChat.Client.Wire;

/// <summary>
/// Source-generated JSON metadata for the wire records, so that neither the client nor the
/// server serialises by reflection (trimming- and AOT-safe).
/// </summary>
[JsonSourceGenerationOptions(
    Converters = [typeof(ZoomTimeJsonConverter)],
    GenerationMode = JsonSourceGenerationMode.Default)]
[JsonSerializable(typeof(ChatListResponse))]
[JsonSerializable(typeof(ChatGetResponse))]
[JsonSerializable(typeof(ErrorResponse))]
public sealed partial class ZoomChatJsonContext : JsonSerializerContext;
