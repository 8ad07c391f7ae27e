using ZoomChat.Server.Accounts;

namespace ZoomChat.Tests.Accounts;

/// <summary>
/// Keys, secrets and tokens are handed to the command line as arguments (`zoomchat key revoke KEY`), where one
/// beginning with "--" reads as a mistyped option (docs/operations.md#errors-and-exit-codes).
/// </summary>
public sealed class SecretsTests
{
    // Unchecked, one draw in 64 begins with '-': among 10,000 of each, about 300 would.
    [Fact]
    public void New_keys_secrets_and_tokens_never_begin_with_a_dash()
    {
        var made = Enumerable.Range(0, 10_000).SelectMany(_ => new[] { Secrets.NewApiKey(), Secrets.NewSecret() }).ToList();

        Assert.DoesNotContain(made, text => text.StartsWith('-'));
        Assert.All(made, text => Assert.True(text.Length is 22 or 43, $"'{text}' has {text.Length} characters"));
        Assert.Equal(made.Count, made.Distinct(StringComparer.Ordinal).Count());
    }
}
