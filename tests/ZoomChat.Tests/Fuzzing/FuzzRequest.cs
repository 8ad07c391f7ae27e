using System.Globalization;
using System.Text;

namespace ZoomChat.Tests.Fuzzing;

/// <summary>The format a request asks its answer in, when the generator can tell (docs/api.md#errors, "asked").</summary>
internal enum AskedFormat
{
    Unknown,
    Json,
    Xml,
}

/// <summary>
/// One whole HTTP/1.1 request as bytes on the wire, with what the generator knows about it: the format it
/// asks for, whether the HTTP server may refuse it before ZoomChat sees it, and the secrets it carries.
/// Shared by the suite (tests/ZoomChat.Tests/Fuzzing) and bench/fuzz.sh, so both send the same requests.
/// </summary>
internal sealed record FuzzRequest(
    string Method,
    byte[] Target,
    IReadOnlyList<KeyValuePair<string, byte[]>> Headers,
    byte[] Body,
    bool Chunked,
    AskedFormat Asks,
    bool MayBeRefusedByHttpServer,
    IReadOnlyList<string> Secrets)
{
    public bool IsHead => Method == "HEAD";

    /// <summary>The request as it is written to the socket.</summary>
    public byte[] ToBytes()
    {
        using var wire = new MemoryStream();
        Write(wire, Encoding.ASCII.GetBytes(Method + " "));
        Write(wire, Target);
        Write(wire, " HTTP/1.1\r\nHost: fuzz.test\r\n"u8);
        foreach (var (name, value) in Headers)
        {
            Write(wire, Encoding.ASCII.GetBytes(name + ": "));
            Write(wire, value);
            Write(wire, "\r\n"u8);
        }

        if (Chunked)
        {
            Write(wire, "Transfer-Encoding: chunked\r\n\r\n"u8);
            // Two chunks when the body allows, so that a chunk boundary falls inside a field.
            var half = Body.Length / 2;
            foreach (var chunk in new[] { Body.AsMemory(0, half), Body.AsMemory(half) })
            {
                if (!chunk.IsEmpty)
                {
                    Write(wire, Encoding.ASCII.GetBytes(chunk.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
                    Write(wire, chunk.Span);
                    Write(wire, "\r\n"u8);
                }
            }

            Write(wire, "0\r\n\r\n"u8);
        }
        else
        {
            Write(wire, Encoding.ASCII.GetBytes("Content-Length: " + Body.Length.ToString(CultureInfo.InvariantCulture) + "\r\n\r\n"));
            Write(wire, Body);
        }

        return wire.ToArray();
    }

    /// <summary>A readable rendering for a failure report: bytes outside printable ASCII escaped, long runs cut.</summary>
    public override string ToString()
    {
        var bytes = ToBytes();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"[asks {Asks}, may be refused by HTTP server: {MayBeRefusedByHttpServer}, {bytes.Length} bytes]\n");
        foreach (var b in bytes.Take(4096))
        {
            if (b == '\n')
            {
                text.Append("\\n\n");
            }
            else if (b is >= 0x20 and < 0x7F)
            {
                text.Append((char)b);
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"\\x{b:X2}");
            }
        }

        if (bytes.Length > 4096)
        {
            text.Append(CultureInfo.InvariantCulture, $"… ({bytes.Length - 4096} more bytes)");
        }

        return text.ToString();
    }

    private static void Write(MemoryStream stream, ReadOnlySpan<byte> bytes) => stream.Write(bytes);
}
