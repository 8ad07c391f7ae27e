using System.Text.Json.Nodes;

namespace ZoomChat.Tests.Support;

/// <summary>Builds interchange lines (docs/import-formats.md#the-interchange-format) for tests; null fields are left out.</summary>
internal static class Lines
{
    public static string Message(
        string sessionId,
        string dateTime,
        string message,
        string? sender = null,
        string? type = null,
        string? groupName = null,
        string[]? participants = null,
        string? messageId = null,
        string? account = null)
    {
        var fields = new (string Key, JsonNode? Value)[]
        {
            ("account", account),
            ("session_id", sessionId),
            ("type", type),
            ("group_name", groupName),
            ("participants", participants is null ? null : new JsonArray(participants.Select(p => (JsonNode?)p).ToArray())),
            ("message_id", messageId),
            ("sender", sender),
            ("date_time", dateTime),
            ("message", message),
        };
        var line = new JsonObject();
        foreach (var (key, value) in fields.Where(f => f.Value is not null))
        {
            line[key] = value;
        }

        return line.ToJsonString();
    }
}
