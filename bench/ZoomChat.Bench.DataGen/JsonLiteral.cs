using System.Text;

namespace ZoomChat.Bench.DataGen;

/// <summary>
/// JSON string literals as UTF-8 bytes, escaped once ahead of time so that each line is a copy of
/// ready-made pieces. Only what JSON requires is escaped (quote, backslash, control characters);
/// other text, emoji included, stays raw UTF-8, as in a real export.
/// </summary>
internal static class JsonLiteral
{
    /// <summary>The quoted literal: <c>"text"</c>.</summary>
    public static byte[] Quoted(string text)
    {
        var inner = EscapedBody(text);
        var quoted = new byte[inner.Length + 2];
        quoted[0] = (byte)'"';
        inner.CopyTo(quoted, 1);
        quoted[^1] = (byte)'"';
        return quoted;
    }

    /// <summary>The escaped text without quotes, to be joined with other pieces inside one literal.</summary>
    public static byte[] EscapedBody(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case < ' ': builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)); break;
                default: builder.Append(c); break;
            }
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }
}
