namespace ZoomChat.Server.Storage;

/// <summary>
/// What the web viewer keeps beside the archive (docs/viewer.md#signing-in): one-time sign-in links and
/// the viewer sessions they open, both only as hashes, and the one read of its own it needs. Apart from
/// <see cref="IArchiveStore"/>, so that a backend serves the API without it; the viewer is then off.
/// </summary>
internal interface IViewerStore
{
    /// <summary>Stores a sign-in link for a user of the account, by the hash of its token.</summary>
    Task CreateSignInLinkAsync(long accountId, long userId, byte[] linkHash, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: marks the link used, if it is unused, unexpired and its user still an archive
    /// viewer of its account, and opens a viewer session of that user under <paramref name="sessionHash"/>.
    /// False, and nothing written, otherwise.
    /// </summary>
    Task<bool> RedeemSignInLinkAsync(byte[] linkHash, byte[] sessionHash, DateTimeOffset now, DateTimeOffset sessionExpiresAt, CancellationToken cancellationToken);

    /// <summary>
    /// The signed-in viewer of that session hash, read afresh: null when the session is unknown, ended or
    /// expired, or its user no longer holds the archive-view privilege. Never cached, so that a removal
    /// takes effect at once in every process.
    /// </summary>
    Task<SignedInViewer?> FindViewerSessionAsync(byte[] sessionHash, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Ends a viewer session (sign-out); nothing happens for an unknown one.</summary>
    Task EndViewerSessionAsync(byte[] sessionHash, CancellationToken cancellationToken);

    /// <summary>The latest UTC day on which the account has a message, or null for an empty account: the viewer's default window ends there.</summary>
    Task<DateOnly?> LatestActiveDayAsync(long accountId, CancellationToken cancellationToken);
}

/// <summary>Who a viewer session belongs to: the account it may read and the user signed in.</summary>
internal sealed record SignedInViewer(long AccountId, string Account, long UserId, string Email, DateTimeOffset ExpiresAt);
