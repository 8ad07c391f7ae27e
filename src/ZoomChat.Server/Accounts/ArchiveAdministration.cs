using ZoomChat.Server.Storage;

namespace ZoomChat.Server.Accounts;

/// <summary>
/// Accounts, API credentials, users and archive access tokens, as the <c>zoomchat</c> command
/// manages them (docs/api.md#credentials-and-access-tokens, docs/operations.md#accounts-credentials-and-tokens). Secrets are returned once and stored only hashed.
/// </summary>
internal sealed class ArchiveAdministration(IArchiveStore store, TimeProvider time)
{
    public async Task CreateAccountAsync(string name, CancellationToken cancellationToken)
    {
        name = name.Trim();
        if (name.Length == 0 || name.Length > 200)
        {
            throw new ArchiveAdministrationException("An account name must have 1 to 200 characters.");
        }

        if (!await store.CreateAccountAsync(name, time.GetUtcNow(), cancellationToken))
        {
            throw new ArchiveAdministrationException($"The account '{name}' exists already.");
        }
    }

    /// <summary>Creates a credential with a random key and secret.</summary>
    public Task<(string ApiKey, string ApiSecret)> CreateApiKeyAsync(string account, CancellationToken cancellationToken) =>
        CreateApiKeyAsync(account, Secrets.NewApiKey(), Secrets.NewSecret(), cancellationToken);

    /// <summary>Creates a credential with the given key and secret (the demo archive's fixed ones).</summary>
    public async Task<(string ApiKey, string ApiSecret)> CreateApiKeyAsync(
        string account, string apiKey, string apiSecret, CancellationToken cancellationToken)
    {
        var accountId = await RequireAccountAsync(account, cancellationToken);
        await store.CreateApiKeyAsync(accountId, apiKey, Secrets.Hash(apiSecret), time.GetUtcNow(), cancellationToken);
        return (apiKey, apiSecret);
    }

    public async Task RevokeApiKeyAsync(string account, string apiKey, CancellationToken cancellationToken)
    {
        var accountId = await RequireAccountAsync(account, cancellationToken);
        if (!await store.RevokeApiKeyAsync(accountId, apiKey, time.GetUtcNow(), cancellationToken))
        {
            throw new ArchiveAdministrationException($"The account '{account}' has no such API key.");
        }
    }

    /// <summary>
    /// Adds or updates a user: <paramref name="archiveViewer"/> true grants the archive-view privilege, false
    /// takes it away, null leaves it as it is. Returns the e-mail as stored (lower-case) and whether the
    /// user now holds the privilege.
    /// </summary>
    public async Task<(string Email, bool ArchiveViewer)> AddUserAsync(
        string account, string email, string? displayName, bool? archiveViewer, CancellationToken cancellationToken)
    {
        var accountId = await RequireAccountAsync(account, cancellationToken);
        var normalised = NormaliseEmail(email);
        await store.UpsertUserAsync(accountId, normalised, displayName, archiveViewer, cancellationToken);
        var stored = await store.FindUserAsync(accountId, normalised, cancellationToken);
        return (normalised, stored?.ArchiveViewer ?? false);
    }

    public Task<IReadOnlyList<ListedAccount>> ListAccountsAsync(CancellationToken cancellationToken) =>
        store.ListAccountsAsync(cancellationToken);

    public async Task<IReadOnlyList<ListedApiKey>> ListApiKeysAsync(string account, CancellationToken cancellationToken) =>
        await store.ListApiKeysAsync(await RequireAccountAsync(account, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<ListedUser>> ListUsersAsync(string account, CancellationToken cancellationToken) =>
        await store.ListUsersAsync(await RequireAccountAsync(account, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<ListedAccessToken>> ListAccessTokensAsync(string account, CancellationToken cancellationToken) =>
        await store.ListAccessTokensAsync(await RequireAccountAsync(account, cancellationToken), cancellationToken);

    /// <summary>
    /// Removes a user from those who may read the archive (docs/operations.md#removing-a-user): their tokens
    /// are revoked and the privilege taken away; the user is deleted only when no archived session names
    /// them, since the archive is evidence and its messages keep their sender and participants.
    /// </summary>
    public async Task<(string Email, UserRemoval Removal)> RemoveUserAsync(string account, string email, CancellationToken cancellationToken)
    {
        var accountId = await RequireAccountAsync(account, cancellationToken);
        var normalised = NormaliseEmail(email);
        var user = await store.FindUserAsync(accountId, normalised, cancellationToken)
            ?? throw new ArchiveAdministrationException($"The account '{account}' has no user {normalised}.");
        return (normalised, await store.RemoveUserAsync(accountId, user.Id, time.GetUtcNow(), cancellationToken));
    }

    /// <summary>
    /// What identifies an access token in listings without opening the archive: the first 12 hexadecimal
    /// digits of its SHA-256 hash, which the holder of the token can compute (docs/operations.md#listing).
    /// </summary>
    public static string TokenId(byte[] tokenHash) => Convert.ToHexStringLower(tokenHash)[..12];

    /// <summary>Issues an access token for a user who holds the archive-view privilege.</summary>
    public Task<(string Token, DateTimeOffset? ExpiresAt)> IssueAccessTokenAsync(
        string account, string email, TimeSpan? expiresIn, CancellationToken cancellationToken) =>
        IssueAccessTokenAsync(account, email, expiresIn, Secrets.NewSecret(), cancellationToken);

    /// <summary>Issues the given access token (the demo archive's fixed one).</summary>
    public async Task<(string Token, DateTimeOffset? ExpiresAt)> IssueAccessTokenAsync(
        string account, string email, TimeSpan? expiresIn, string token, CancellationToken cancellationToken)
    {
        var accountId = await RequireAccountAsync(account, cancellationToken);
        var normalised = NormaliseEmail(email);
        var user = await store.FindUserAsync(accountId, normalised, cancellationToken)
            ?? throw new ArchiveAdministrationException($"The account '{account}' has no user {normalised}.");
        if (!user.ArchiveViewer)
        {
            throw new ArchiveAdministrationException(
                $"{normalised} does not hold the archive-view privilege (grant it with: zoomchat user add --archive-viewer).");
        }

        if (expiresIn is { } span && span <= TimeSpan.Zero)
        {
            throw new ArchiveAdministrationException("--expires-in must be a positive number of seconds.");
        }

        var now = time.GetUtcNow();
        DateTimeOffset? expiresAt = expiresIn is { } lifetime ? now + lifetime : null;
        await store.CreateAccessTokenAsync(accountId, user.Id, Secrets.Hash(token), now, expiresAt, cancellationToken);
        return (token, expiresAt);
    }

    public async Task RevokeAccessTokenAsync(string account, string token, CancellationToken cancellationToken)
    {
        var accountId = await RequireAccountAsync(account, cancellationToken);
        if (!await store.RevokeAccessTokenAsync(accountId, Secrets.Hash(token), time.GetUtcNow(), cancellationToken))
        {
            throw new ArchiveAdministrationException($"The account '{account}' has no such access token.");
        }
    }

    internal static string NormaliseEmail(string email)
    {
        var trimmed = email.Trim();
        if (trimmed.Length is 0 or > 320 || !trimmed.Contains('@', StringComparison.Ordinal) || trimmed.Any(char.IsWhiteSpace))
        {
            throw new ArchiveAdministrationException($"'{email}' is not an e-mail address.");
        }

        return trimmed.ToLowerInvariant();
    }

    private async Task<long> RequireAccountAsync(string account, CancellationToken cancellationToken) =>
        await store.FindAccountAsync(account, cancellationToken)
            ?? throw new ArchiveAdministrationException($"There is no account '{account}'.");
}
