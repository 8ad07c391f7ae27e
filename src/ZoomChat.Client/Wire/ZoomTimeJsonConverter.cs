using System.Text.Json;
using System.Text.Json.Serialization;

namespace ZoomChat.Client.Wire;

/// <summary>Reads and writes <see cref="DateTimeOffset"/> values in the v1 time format (see <see cref="ZoomTime"/>).</summary>
public sealed class ZoomTimeJsonConverter : JsonConverter<DateTimeOffset>
{
    /// <inheritdoc />
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return ZoomTime.TryParse(text, out var value)
            ? value
            : throw new JsonException($"'{text}' is not a time.");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> text = stackalloc byte[ZoomTime.WireLength];
        ZoomTime.WriteUtf8(value, text);
        writer.WriteStringValue(text);
    }
}
