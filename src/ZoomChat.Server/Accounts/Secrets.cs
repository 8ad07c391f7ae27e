using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ZoomChat.Server.Accounts;

/// <summary>
/// Makes and hashes API keys, secrets and archive access tokens (docs/api.md#credentials-and-access-tokens). Secrets
/// and tokens are 256 random bits, so a single SHA-256 is enough to keep them unreadable at rest
/// (a slow password hash guards low-entropy secrets, which these are not) and keeps the per-request
/// check cheap. Comparison is in constant time.
/// </summary>
internal static class Secrets
{
    /// <summary>A new API key: 16 random bytes, URL-safe (22 characters, the length of Zoom's keys).</summary>
    public static string NewApiKey() => NewText(16);

    /// <summary>A new API secret or access token: 32 random bytes, URL-safe (43 characters).</summary>
    public static string NewSecret() => NewText(32);

    // Never beginning with '-' (one draw in 64 would): "--" is how a mistyped option looks to the
    // command line, which would refuse it (docs/operations.md#errors-and-exit-codes).
    private static string NewText(int bytes)
    {
        while (true)
        {
            var text = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));
            if (text[0] != '-')
            {
                return text;
            }
        }
    }

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static bool Matches(string secret, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(secret), storedHash);
}
