using ZoomChat.Server.Accounts;
using ZoomChat.Server.Storage;

namespace ZoomChat.Server.Viewer;

/// <summary>
/// Makes the one-time links that sign an archive viewer in to the web viewer (docs/viewer.md#signing-in):
/// 256 random bits, kept only as their SHA-256 hash, for a user who holds the archive-view privilege.
/// </summary>
internal sealed class ViewerSignInLinks(IArchiveStore archive, IViewerStore viewer, TimeProvider time)
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(15);

    /// <summary>The longest a link may wait to be opened: a week, for a link sent by post or left in a ticket.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(7);

    /// <summary>The path a link opens, under the server's base URL.</summary>
    public const string SignInPath = "signin";

    /// <summary>Creates a link for <paramref name="email"/> of <paramref name="account"/>, to the server at <paramref name="baseUrl"/>.</summary>
    /// <exception cref="ArchiveAdministrationException">No such account or user, the user is no archive viewer, or a bad lifetime or URL.</exception>
    public async Task<(Uri Url, DateTimeOffset ExpiresAt)> CreateAsync(
        string account, string email, TimeSpan? lifetime, Uri baseUrl, CancellationToken cancellationToken)
    {
        var life = lifetime ?? DefaultLifetime;
        if (life <= TimeSpan.Zero || life > MaxLifetime)
        {
            throw new ArchiveAdministrationException($"--expires-in takes a number of seconds from 1 to {(long)MaxLifetime.TotalSeconds}, not {(long)life.TotalSeconds}.");
        }

        if (!baseUrl.IsAbsoluteUri || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps) || !string.IsNullOrEmpty(baseUrl.Query))
        {
            throw new ArchiveAdministrationException($"--base-url takes the server's address, such as https://archive.example.com/, not '{baseUrl}'.");
        }

        var accountId = await archive.FindAccountAsync(account, cancellationToken)
            ?? throw new ArchiveAdministrationException($"There is no account '{account}'.");
        var normalised = ArchiveAdministration.NormaliseEmail(email);
        var user = await archive.FindUserAsync(accountId, normalised, cancellationToken)
            ?? throw new ArchiveAdministrationException($"The account '{account}' has no user {normalised}.");
        if (!user.ArchiveViewer)
        {
            throw new ArchiveAdministrationException(
                $"{normalised} does not hold the archive-view privilege (grant it with: zoomchat user add --archive-viewer).");
        }

        var token = Secrets.NewSecret();
        var now = time.GetUtcNow();
        var expiresAt = now + life;
        await viewer.CreateSignInLinkAsync(accountId, user.Id, Secrets.Hash(token), now, expiresAt, cancellationToken);
        var root = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        return (new Uri(root, $"{SignInPath}?token={token}"), expiresAt);
    }
}
