using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Xml;
using Microsoft.AspNetCore.Http;
using ZoomChat.Client.Wire;
using ZoomChat.Server.Hosting;

namespace ZoomChat.Server.Chat;

/// <summary>
/// Writes responses in the seed's shape (docs/api.md#responses): JSON with the seed's key order and
/// <c>Content-Type: application/json</c> exactly, or the XML mirror of the same document.
/// </summary>
internal static class ChatResponseWriter
{
    public const string JsonContentType = "application/json";
    public const string XmlContentType = "application/xml";

    /// <summary>The key under which a request's error code waits for the request log.</summary>
    public const string ErrorCodeItem = "ZoomChat.ErrorCode";

    /// <summary>The key under which the format a request asked for waits, so that a fault is answered in it too.</summary>
    public const string FormatItem = "ZoomChat.ResponseFormat";

    private static readonly byte[] XmlDeclaration = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");

    // Responses are application/json, never embedded in HTML, so text stays readable rather than
    // \u-escaped; what JSON itself requires (quotes, backslashes, control characters) is still escaped.
    private static readonly ZoomChatJsonContext Json = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new ZoomTimeJsonConverter() },
    });

    private static readonly XmlWriterSettings XmlSettings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        OmitXmlDeclaration = true,
        Indent = false,
        // A parser turns a raw CR into LF; entitized (&#xD;) it reads back as sent, so XML carries the
        // same text as JSON (docs/api.md#responses).
        NewLineHandling = NewLineHandling.Entitize,
    };

    public static Task WriteAsync(HttpContext context, ChatListResponse body, ResponseFormat format) =>
        format == ResponseFormat.Json
            ? WriteBytesAsync(context, StatusCodes.Status200OK, JsonContentType, JsonSerializer.SerializeToUtf8Bytes(body, Json.ChatListResponse))
            : WriteBytesAsync(context, StatusCodes.Status200OK, XmlContentType, ToXml(body));

    public static Task WriteAsync(HttpContext context, ChatGetResponse body, ResponseFormat format) =>
        format == ResponseFormat.Json
            ? WriteBytesAsync(context, StatusCodes.Status200OK, JsonContentType, JsonSerializer.SerializeToUtf8Bytes(body, Json.ChatGetResponse))
            : WriteBytesAsync(context, StatusCodes.Status200OK, XmlContentType, ToXml(body));

    public static Task WriteErrorAsync(HttpContext context, ApiError error, ResponseFormat format, ErrorStatusMode mode)
    {
        context.Items[ErrorCodeItem] = error.Code;
        if (error.ClosesConnection)
        {
            context.Response.Headers.Connection = "close";
        }

        var status = mode == ErrorStatusMode.Http || error.KeepsStatus ? error.HttpStatus : StatusCodes.Status200OK;
        if (format == ResponseFormat.Xml && !error.JsonOnly)
        {
            return WriteBytesAsync(context, status, XmlContentType, WriteXml(xml =>
            {
                xml.WriteStartElement("error");
                xml.WriteElementString("code", error.Code.ToString(CultureInfo.InvariantCulture));
                xml.WriteElementString("message", XmlText(error.Message));
                xml.WriteEndElement();
            }));
        }

        var body = new ErrorResponse { Error = new ErrorDetail { Code = error.Code, Message = error.Message } };
        return WriteBytesAsync(context, status, JsonContentType, JsonSerializer.SerializeToUtf8Bytes(body, Json.ErrorResponse));
    }

    /// <summary>Drops what XML 1.0 cannot carry (most control characters, lone surrogates), never sends it raw.</summary>
    public static string XmlText(string text)
    {
        StringBuilder? cleaned = null;
        for (var i = 0; i < text.Length; i++)
        {
            if (IsXmlChar(text, i, out var width))
            {
                cleaned?.Append(text, i, width);
                i += width - 1;
            }
            else
            {
                cleaned ??= new StringBuilder(text.Length).Append(text, 0, i);
            }
        }

        return cleaned?.ToString() ?? text;
    }

    private static bool IsXmlChar(string text, int index, out int width)
    {
        var c = text[index];
        width = 1;
        if (char.IsHighSurrogate(c))
        {
            if (index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
            {
                width = 2;
                return true;
            }

            return false;
        }

        return XmlConvert.IsXmlChar(c);
    }

    private static byte[] ToXml(ChatListResponse body) => WriteXml(xml =>
    {
        xml.WriteStartElement("chat_list_response");
        WritePaging(xml, body.From, body.To, body.PageSize, body.PageCount, body.NextPageToken);
        xml.WriteStartElement("chat_list");
        foreach (var session in body.ChatList)
        {
            xml.WriteStartElement("session");
            xml.WriteElementString("session_id", XmlText(session.SessionId));
            xml.WriteElementString("type", session.Type);
            xml.WriteElementString("participants", XmlText(session.Participants));
            xml.WriteElementString("group_name", XmlText(session.GroupName));
            xml.WriteElementString("last_message_send_time", ZoomTime.ToWire(session.LastMessageSendTime));
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
    });

    private static byte[] ToXml(ChatGetResponse body) => WriteXml(xml =>
    {
        xml.WriteStartElement("chat_get_response");
        xml.WriteElementString("session_id", XmlText(body.SessionId));
        xml.WriteElementString("group_name", XmlText(body.GroupName));
        WritePaging(xml, body.From, body.To, body.PageSize, body.PageCount, body.NextPageToken);
        xml.WriteStartElement("chat_messages");
        foreach (var message in body.ChatMessages)
        {
            xml.WriteStartElement("message_item");
            xml.WriteElementString("message", XmlText(message.Message));
            xml.WriteElementString("sender", XmlText(message.Sender));
            xml.WriteElementString("date_time", ZoomTime.ToWire(message.DateTime));
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
    });

    private static void WritePaging(XmlWriter xml, DateTimeOffset from, DateTimeOffset to, int pageSize, int pageCount, string nextPageToken)
    {
        xml.WriteElementString("from", ZoomTime.ToWire(from));
        xml.WriteElementString("to", ZoomTime.ToWire(to));
        xml.WriteElementString("page_size", pageSize.ToString(CultureInfo.InvariantCulture));
        xml.WriteElementString("page_count", pageCount.ToString(CultureInfo.InvariantCulture));
        xml.WriteElementString("next_page_token", nextPageToken);
    }

    private static byte[] WriteXml(Action<XmlWriter> write)
    {
        using var buffer = new MemoryStream();
        buffer.Write(XmlDeclaration);
        using (var xml = XmlWriter.Create(buffer, XmlSettings))
        {
            write(xml);
        }

        return buffer.ToArray();
    }

    private static Task WriteBytesAsync(HttpContext context, int status, string contentType, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
