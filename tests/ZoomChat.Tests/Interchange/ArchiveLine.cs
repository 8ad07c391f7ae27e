using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ZoomChat.Tests.Interchange;

/// <summary>Builds one interchange line for a test; keys are written only when given.</summary>
internal static class ArchiveLine
{
    public const string Time = "2016-01-18T06:40:56.000Z";

    public static string Of(
        string session = "s-1",
        string dateTime = Time,
        string message = "hello",
        string? sender = "ann@acme.com",
        string? id = null,
        string? type = null,
        string? group = null,
        string[]? participants = null,
        string? account = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            WriteIfGiven(writer, "account", account);
            writer.WriteString("session_id", session);
            WriteIfGiven(writer, "type", type);
            WriteIfGiven(writer, "group_name", group);
            if (participants is not null)
            {
                writer.WriteStartArray("participants");
                foreach (var participant in participants)
                {
                    writer.WriteStringValue(participant);
                }

                writer.WriteEndArray();
            }

            WriteIfGiven(writer, "message_id", id);
            WriteIfGiven(writer, "sender", sender);
            writer.WriteString("date_time", dateTime);
            writer.WriteString("message", message);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The lines joined as a file: each followed by a line break.</summary>
    public static string File(params string[] lines) => string.Concat(lines.Select(line => line + "\n"));

    private static void WriteIfGiven(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
