using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace ZoomChat.Server.Viewer;

/// <summary>
/// A piece of HTML. Written as <c>Html.Of($"&lt;td&gt;{text}&lt;/td&gt;")</c>, the literal parts are markup and
/// every value put in is HTML-encoded, unless it is itself <see cref="Html"/>: archived text can only ever be
/// text (docs/viewer.md#security).
/// </summary>
internal sealed class Html
{
    public static readonly Html Empty = new(string.Empty);

    /// <summary>Encodes markup characters (&lt; &gt; &amp; quotes) and leaves every script's letters readable in the page's source.</summary>
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private Html(string value) => Value = value;

    public string Value { get; }

    public static Html Of(ref Handler html) => new(html.ToStringAndClear());

    /// <summary>Encoded text, for a value that is not written inside an interpolated string.</summary>
    public static Html Text(string? text) => new(Encoder.Encode(text ?? string.Empty));

    public static Html Join(IEnumerable<Html> parts) => new(string.Concat(parts.Select(p => p.Value)));

    public override string ToString() => Value;

    /// <summary>Literals are written as they are; holes are encoded, except <see cref="Html"/> and lists of it.</summary>
    [InterpolatedStringHandler]
    public ref struct Handler
    {
        private readonly StringBuilder _builder;

        public Handler(int literalLength, int formattedCount) => _builder = new StringBuilder(literalLength + (formattedCount * 16));

        public readonly void AppendLiteral(string literal) => _builder.Append(literal);

        public readonly void AppendFormatted(Html? html) => _builder.Append(html?.Value);

        public readonly void AppendFormatted(IEnumerable<Html> parts)
        {
            foreach (var part in parts)
            {
                _builder.Append(part.Value);
            }
        }

        public readonly void AppendFormatted(string? text) => _builder.Append(Encoder.Encode(text ?? string.Empty));

        public readonly void AppendFormatted<T>(T value)
        {
            // Lists of HTML (a List<Html> binds here, not to the IEnumerable overload) are markup; anything else is text.
            if (value is IEnumerable<Html> parts)
            {
                AppendFormatted(parts);
                return;
            }

            _builder.Append(Encoder.Encode(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty));
        }

        public readonly string ToStringAndClear()
        {
            var value = _builder.ToString();
            _builder.Clear();
            return value;
        }
    }
}
