using System.Text.Json.Serialization;

namespace ZoomChat.Server.Viewer;

/// <summary>One line of a search's NDJSON export: the interchange format's names for a hit's fields (docs/import-formats.md#the-interchange-format).</summary>
internal sealed record SearchExportLine(
    [property: JsonPropertyName("session_id")] string SessionId,
    [property: JsonPropertyName("message_id")] string? MessageId,
    [property: JsonPropertyName("sender")] string? Sender,
    [property: JsonPropertyName("date_time")] string DateTime,
    [property: JsonPropertyName("message")] string Message);

/// <summary>The viewer's JSON, source-generated.</summary>
[JsonSerializable(typeof(SearchExportLine))]
internal sealed partial class ViewerJson : JsonSerializerContext;
