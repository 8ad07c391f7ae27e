using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ZoomChat.Server.Paging;

/// <summary>
/// Seals page tokens with AES-GCM under a key kept in the store, so that every server process
/// sharing the store reads every other's tokens, across restarts (docs/api.md#paging-and-page-tokens). The
/// query the token belongs to is authenticated as associated data but not carried: a token used
/// with other parameters, by another account or on the other endpoint fails to open. Encryption
/// (rather than a bare MAC) keeps the snapshot mark, an archive-wide count, from its holder.
/// </summary>
internal sealed class PageTokenCodec(byte[] key, TimeProvider time, TimeSpan lifetime) : IDisposable
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int FixedPayloadSize = 1 + (8 * 4) + 4;

    // Setting up a cipher with its key cost more than sealing a token; an AesGcm may not be shared
    // between threads at once, so each thread keeps its own.
    private readonly ThreadLocal<AesGcm> _aes = new(() => new AesGcm(key, TagSize), trackAllValues: true);

    public string Seal(PageToken token, PageQuery query)
    {
        var sessionBytes = Encoding.UTF8.GetBytes(token.CursorSessionId);
        var plain = new byte[FixedPayloadSize + sessionBytes.Length];
        plain[0] = Version;
        BinaryPrimitives.WriteInt64LittleEndian(plain.AsSpan(1), token.IssuedAtMs);
        BinaryPrimitives.WriteInt64LittleEndian(plain.AsSpan(9), token.HighWaterMark);
        BinaryPrimitives.WriteInt64LittleEndian(plain.AsSpan(17), token.CursorTimeMs);
        BinaryPrimitives.WriteInt64LittleEndian(plain.AsSpan(25), token.CursorArrival);
        BinaryPrimitives.WriteInt32LittleEndian(plain.AsSpan(33), token.PageCount);
        sessionBytes.CopyTo(plain.AsSpan(FixedPayloadSize));

        var sealedToken = new byte[NonceSize + TagSize + plain.Length];
        var nonce = sealedToken.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        _aes.Value!.Encrypt(nonce, plain, sealedToken.AsSpan(NonceSize + TagSize), sealedToken.AsSpan(NonceSize, TagSize), query.ToAssociatedData());
        return Base64Url.EncodeToString(sealedToken);
    }

    private static readonly SearchValues<char> TokenCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>The token, or null when it is malformed, altered, of another query or expired.</summary>
    public PageToken? Open(string text, PageQuery query)
    {
        // Only the characters a token is written in: the decoder skips white space, and a token spelt
        // with spaces, tabs or line breaks inside it is an altered token (docs/api.md#paging-and-page-tokens).
        if (text.Length > 4096 || text.AsSpan().ContainsAnyExcept(TokenCharacters))
        {
            return null;
        }

        byte[] sealedToken;
        try
        {
            sealedToken = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return null;
        }

        if (sealedToken.Length < NonceSize + TagSize + FixedPayloadSize)
        {
            return null;
        }

        var plain = new byte[sealedToken.Length - NonceSize - TagSize];
        try
        {
            _aes.Value!.Decrypt(
                sealedToken.AsSpan(0, NonceSize),
                sealedToken.AsSpan(NonceSize + TagSize),
                sealedToken.AsSpan(NonceSize, TagSize),
                plain,
                query.ToAssociatedData());
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        if (plain[0] != Version)
        {
            return null;
        }

        var token = new PageToken(
            IssuedAtMs: BinaryPrimitives.ReadInt64LittleEndian(plain.AsSpan(1)),
            HighWaterMark: BinaryPrimitives.ReadInt64LittleEndian(plain.AsSpan(9)),
            PageCount: BinaryPrimitives.ReadInt32LittleEndian(plain.AsSpan(33)),
            CursorTimeMs: BinaryPrimitives.ReadInt64LittleEndian(plain.AsSpan(17)),
            CursorArrival: BinaryPrimitives.ReadInt64LittleEndian(plain.AsSpan(25)),
            CursorSessionId: Encoding.UTF8.GetString(plain.AsSpan(FixedPayloadSize)));

        var age = time.GetUtcNow().ToUnixTimeMilliseconds() - token.IssuedAtMs;
        // A minute of slack for clocks of other machines that share the store.
        return age > -60_000 && age < lifetime.TotalMilliseconds ? token : null;
    }

    public void Dispose()
    {
        foreach (var aes in _aes.Values)
        {
            aes.Dispose();
        }

        _aes.Dispose();
    }
}
