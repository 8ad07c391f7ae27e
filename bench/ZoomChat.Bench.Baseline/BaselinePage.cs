using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ZoomChat.Bench.Baseline;

/// <summary>
/// A chat/get page in ZoomChat's exact shape (docs/api.md#responses, docs/api.md#reading-a-session-chatget: keys in the seed's
/// order, text escaped as ZoomChat escapes it) with 30 real messages of the generated archive: the
/// 30 consecutive lines, among its first 50,000, whose texts come closest to 30 times the mean
/// text length, so the page has the typical size rather than a lucky or unlucky one.
/// </summary>
internal sealed record BaselinePage(byte[] Body, string Description)
{
    private const int PageSize = 30;
    private const int SampleLines = 50_000;

    // ZoomChat's page tokens for chat/get are 65 sealed bytes, 87 characters of base64url.
    private const int TokenBytes = 65;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static BaselinePage FromSample(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No such sample file: {path}", path);
        }

        var lines = new List<SampleMessage>();
        foreach (var text in File.ReadLines(path).Take(SampleLines))
        {
            using var line = JsonDocument.Parse(text);
            var root = line.RootElement;
            lines.Add(new SampleMessage(
                root.GetProperty("session_id").GetString()!,
                root.TryGetProperty("group_name", out var name) ? name.GetString()! : string.Empty,
                root.TryGetProperty("sender", out var sender) ? sender.GetString()! : string.Empty,
                root.GetProperty("date_time").GetString()!,
                root.GetProperty("message").GetString()!));
        }

        if (lines.Count < PageSize)
        {
            throw new InvalidDataException($"{path} has {lines.Count} lines; a page needs {PageSize}.");
        }

        var lengths = lines.ConvertAll(line => System.Text.Encoding.UTF8.GetByteCount(line.Text));
        var mean = lengths.Average();
        var target = mean * PageSize;
        long window = lengths.Take(PageSize).Sum();
        var (best, bestDistance) = (0, Math.Abs(window - target));
        for (var start = 1; start + PageSize <= lengths.Count; start++)
        {
            window += lengths[start + PageSize - 1] - lengths[start - 1];
            if (Math.Abs(window - target) < bestDistance)
            {
                (best, bestDistance) = (start, Math.Abs(window - target));
            }
        }

        var messages = lines.GetRange(best, PageSize);
        var body = Write(messages);
        var description = string.Create(
            CultureInfo.InvariantCulture,
            $"30 messages of {messages.Sum(m => System.Text.Encoding.UTF8.GetByteCount(m.Text)) / (double)PageSize:F1} text bytes on average " +
            $"(the sample's mean: {mean:F1}), from lines {best + 1}-{best + PageSize} of {Path.GetFileName(path)}");
        return new BaselinePage(body, description);
    }

    private static byte[] Write(List<SampleMessage> messages)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("session_id", messages[0].SessionId);
            json.WriteString("group_name", messages[0].GroupName);
            json.WriteString("from", messages[0].DateTime);
            json.WriteString("to", messages[^1].DateTime);
            json.WriteNumber("page_size", PageSize);
            json.WriteNumber("page_count", 40);
            json.WriteString("next_page_token", Base64UrlToken());
            json.WriteStartArray("chat_messages");
            foreach (var message in messages)
            {
                json.WriteStartObject();
                json.WriteString("message", message.Text);
                json.WriteString("sender", message.Sender);
                json.WriteString("date_time", message.DateTime);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string Base64UrlToken() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));

    private sealed record SampleMessage(string SessionId, string GroupName, string Sender, string DateTime, string Text);
}
