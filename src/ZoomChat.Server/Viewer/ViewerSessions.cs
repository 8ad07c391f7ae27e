using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using ZoomChat.Server.Accounts;
using ZoomChat.Server.Storage;

namespace ZoomChat.Server.Viewer;

/// <summary>
/// The web viewer's sessions (docs/viewer.md#signing-in): a sign-in link is exchanged once for a random
/// session token, which the browser keeps in a cookie and the store only as its hash, so that every server
/// process on the store knows it and a sign-out or a lost privilege ends it everywhere at once.
/// </summary>
internal sealed class ViewerSessions(IViewerStore store, TimeProvider time, byte[] storeKey)
{
    /// <summary>How long a signed-in viewer stays signed in: a working day, then a new link.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    public const string CookieName = "zoomchat_viewer";

    /// <summary>
    /// The anti-forgery key, derived from the store's shared key (docs/viewer.md#anti-forgery) so that a
    /// form served by one process is accepted by another, and never equal to the page-token key itself.
    /// </summary>
    private readonly byte[] _antiForgeryKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, storeKey, 32, info: Encoding.ASCII.GetBytes("zoomchat viewer anti-forgery"));

    /// <summary>Opens a session for a sign-in link: the new session token, or null when the link is unknown, used, expired, or its user no viewer.</summary>
    public async Task<string?> RedeemAsync(string? linkToken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(linkToken) || linkToken.Length > 100)
        {
            return null;
        }

        var session = Secrets.NewSecret();
        var now = time.GetUtcNow();
        return await store.RedeemSignInLinkAsync(Secrets.Hash(linkToken), Secrets.Hash(session), now, now + Lifetime, cancellationToken) ? session : null;
    }

    public async Task<SignedInViewer?> FindAsync(string? sessionToken, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(sessionToken) || sessionToken.Length > 100
            ? null
            : await store.FindViewerSessionAsync(Secrets.Hash(sessionToken), time.GetUtcNow(), cancellationToken);

    public Task SignOutAsync(string sessionToken, CancellationToken cancellationToken) =>
        store.EndViewerSessionAsync(Secrets.Hash(sessionToken), cancellationToken);

    /// <summary>The anti-forgery token of a session: a MAC of its hash, so a page of another site can neither read nor make it.</summary>
    public string AntiForgeryToken(string sessionToken) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(_antiForgeryKey, Secrets.Hash(sessionToken)));

    public bool AntiForgeryMatches(string sessionToken, string? submitted) =>
        submitted is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(AntiForgeryToken(sessionToken)), Encoding.ASCII.GetBytes(submitted));
}
