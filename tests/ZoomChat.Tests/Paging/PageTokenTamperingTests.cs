using System.Buffers.Text;
using System.Security.Cryptography;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Paging;

/// <summary>A page token cannot be forged or altered (docs/api.md#paging-and-page-tokens); every bad one gets code 300 (docs/api.md#errors).</summary>
public sealed class PageTokenTamperingTests
{
    private static readonly (string Name, string Value)[] ListQuery = [("from", "2016-01-16"), ("to", "2016-01-22"), ("page_size", "1")];
    private static readonly (string Name, string Value)[] GetQuery = [("session_id", "s-1"), ("from", "2016-01-16"), ("to", "2016-01-22"), ("page_size", "1")];

    public enum Tampering
    {
        FlipMiddleCharacter,
        FlipFirstCharacter,
        DropLastCharacter,
        DropLastFourCharacters,
        KeepFirstHalf,
        AppendCharacter,
        AppendFourCharacters,
        FlipOneBitOfTheDecodedBytes,
        Garbage,
        NotBase64,
        RandomBytesOfTheSameLength,
        RandomBytes,
        TooShortToHoldAnything,
        VeryLong,
        SpaceInside,
        TabAndLineBreaksInside,
    }

    public static TheoryData<string, Tampering> Cases()
    {
        var data = new TheoryData<string, Tampering>();
        foreach (var path in new[] { Pages.List, Pages.Get })
        {
            foreach (var tampering in Enum.GetValues<Tampering>())
            {
                data.Add(path, tampering);
            }
        }

        return data;
    }

    [StoreTheory]
    [MemberData(nameof(Cases))]
    public async Task A_tampered_token_is_invalid_and_the_real_one_still_works(string path, Tampering tampering)
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await ImportAsync(archive);
        var query = path == Pages.List ? ListQuery : GetQuery;
        var token = Pages.Token(await Pages.FirstPageAsync(archive, path, acme, query));

        var tampered = Tamper(token, tampering);
        var answer = await Pages.FollowAsync(archive, path, acme, query, tampered);
        var real = await Pages.FollowAsync(archive, path, acme, query, token);

        Assert.NotEqual(token, tampered);
        Assert.Equal(Pages.InvalidTokenError, answer.GetRawText());
        Assert.False(real.TryGetProperty("error", out _), real.GetRawText());
    }

    [StoreTheory]
    [InlineData(Pages.List)]
    [InlineData(Pages.Get)]
    public async Task Changing_any_one_character_of_a_token_makes_it_invalid(string path)
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await ImportAsync(archive);
        var query = path == Pages.List ? ListQuery : GetQuery;
        var token = Pages.Token(await Pages.FirstPageAsync(archive, path, acme, query));

        var accepted = new List<int>();
        for (var i = 0; i < token.Length; i++)
        {
            // Flipping the highest of the six bits a character carries changes a bit that is used,
            // even in the last character, whose low bits may be padding.
            var answer = await Pages.FollowAsync(archive, path, acme, query, Flip(token, i));
            if (answer.GetRawText() != Pages.InvalidTokenError)
            {
                accepted.Add(i);
            }
        }

        Assert.Empty(accepted);
    }

    [StoreFact]
    public async Task A_token_made_by_anyone_without_the_servers_key_is_invalid()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await ImportAsync(archive);

        // The shape of a real token (nonce, tag, payload), with a payload that would skip to the end.
        var forged = new byte[12 + 16 + 37];
        RandomNumberGenerator.Fill(forged.AsSpan(0, 28));
        forged[28] = 1;
        var answer = await Pages.FollowAsync(archive, Pages.List, acme, ListQuery, Base64Url.EncodeToString(forged));

        Assert.Equal(Pages.InvalidTokenError, answer.GetRawText());
    }

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static string Tamper(string token, Tampering tampering)
    {
        switch (tampering)
        {
            case Tampering.FlipMiddleCharacter:
                return Flip(token, token.Length / 2);
            case Tampering.FlipFirstCharacter:
                return Flip(token, 0);
            case Tampering.DropLastCharacter:
                return token[..^1];
            case Tampering.DropLastFourCharacters:
                return token[..^4];
            case Tampering.KeepFirstHalf:
                return token[..(token.Length / 2)];
            case Tampering.AppendCharacter:
                return token + "A";
            case Tampering.AppendFourCharacters:
                return token + "AAAA";
            case Tampering.FlipOneBitOfTheDecodedBytes:
                var bytes = Base64Url.DecodeFromChars(token);
                bytes[bytes.Length / 2] ^= 1;
                return Base64Url.EncodeToString(bytes);
            case Tampering.Garbage:
                return "garbage";
            case Tampering.NotBase64:
                return "!!!*not*a*token*!!!";
            case Tampering.RandomBytesOfTheSameLength:
                return Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(Base64Url.DecodeFromChars(token).Length));
            case Tampering.RandomBytes:
                return Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(200));
            case Tampering.TooShortToHoldAnything:
                return "AAAA";
            case Tampering.VeryLong:
                return token + new string('A', 8000);
            case Tampering.SpaceInside:
                return token[..10] + " " + token[10..];
            case Tampering.TabAndLineBreaksInside:
                return token[..10] + "\t" + token[10..30] + "\r\n" + token[30..] + "\n";
            default:
                throw new ArgumentOutOfRangeException(nameof(tampering));
        }
    }

    private static string Flip(string token, int index) =>
        token[..index] + Alphabet[Alphabet.IndexOf(token[index], StringComparison.Ordinal) ^ 32] + token[(index + 1)..];

    private static async Task ImportAsync(TestArchive archive) =>
        await archive.ImportAsync(
            "acme",
            Lines.Message("s-1", "2016-01-17T10:00:00.000Z", "one", "ann@acme.com"),
            Lines.Message("s-1", "2016-01-18T10:00:00.000Z", "two", "ann@acme.com"),
            Lines.Message("s-1", "2016-01-19T10:00:00.000Z", "three", "ann@acme.com"),
            Lines.Message("s-2", "2016-01-18T10:00:00.000Z", "m", "ann@acme.com"),
            Lines.Message("s-3", "2016-01-17T10:00:00.000Z", "m", "ann@acme.com"));
}
