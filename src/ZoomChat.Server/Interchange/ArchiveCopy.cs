using ZoomChat.Server.Storage;

namespace ZoomChat.Server.Interchange;

/// <summary>
/// What <c>zoomchat copy</c> carries besides the messages, which go through an export and an import
/// (docs/operations.md#moving-an-archive-between-stores): accounts, users with their display names and
/// privilege, API keys and access tokens as the hashes the source keeps, with their times and
/// revocations, so that every credential that worked on the source works on the target, and no other.
/// </summary>
internal static class ArchiveCopy
{
    /// <summary>The accounts a store holds already: a copy fills an empty store only.</summary>
    public static async Task<IReadOnlyList<string>> AccountsOfAsync(IArchiveStore store, CancellationToken cancellationToken) =>
        [.. (await store.ListAccountsAsync(cancellationToken)).Select(account => account.Name)];

    /// <summary>Creates the source's accounts and users on the target, before the messages that name them.</summary>
    public static async Task<(int Accounts, int Users)> CopyAccountsAndUsersAsync(IArchiveStore source, IArchiveStore target, CancellationToken cancellationToken)
    {
        var users = 0;
        var accounts = await source.ListAccountsAsync(cancellationToken);
        foreach (var account in accounts)
        {
            await target.CreateAccountAsync(account.Name, account.CreatedAt, cancellationToken);
            var targetId = await RequireAccountAsync(target, account.Name, cancellationToken);
            var sourceId = await RequireAccountAsync(source, account.Name, cancellationToken);
            foreach (var user in await source.ListUsersAsync(sourceId, cancellationToken))
            {
                await target.UpsertUserAsync(targetId, user.Email, user.DisplayName, user.ArchiveViewer, cancellationToken);
                users++;
            }
        }

        return (accounts.Count, users);
    }

    /// <summary>
    /// Creates the source's API keys and access tokens on the target, revoked ones revoked at the same
    /// moment: last, so that no credential opens the target before its messages are all there.
    /// </summary>
    public static async Task<(int ApiKeys, int AccessTokens)> CopyCredentialsAsync(IArchiveStore source, IArchiveStore target, CancellationToken cancellationToken)
    {
        int keys = 0, tokens = 0;
        foreach (var account in await source.ListAccountsAsync(cancellationToken))
        {
            var sourceId = await RequireAccountAsync(source, account.Name, cancellationToken);
            var targetId = await RequireAccountAsync(target, account.Name, cancellationToken);
            foreach (var key in await source.ListApiKeysAsync(sourceId, cancellationToken))
            {
                var stored = await source.FindApiKeyAsync(key.ApiKey, cancellationToken)
                    ?? throw new ArchiveStoreException($"The API key {key.ApiKey} of account '{account.Name}' went away during the copy.");
                await target.CreateApiKeyAsync(targetId, key.ApiKey, stored.SecretHash, key.CreatedAt, cancellationToken);
                if (key.RevokedAt is { } revoked)
                {
                    await target.RevokeApiKeyAsync(targetId, key.ApiKey, revoked, cancellationToken);
                }

                keys++;
            }

            foreach (var token in await source.ListAccessTokensAsync(sourceId, cancellationToken))
            {
                var user = await target.FindUserAsync(targetId, token.Email, cancellationToken)
                    ?? throw new ArchiveStoreException($"The user {token.Email} of account '{account.Name}' is not on the target.");
                await target.CreateAccessTokenAsync(targetId, user.Id, token.TokenHash, token.IssuedAt, token.ExpiresAt, cancellationToken);
                if (token.RevokedAt is { } revoked)
                {
                    await target.RevokeAccessTokenAsync(targetId, token.TokenHash, revoked, cancellationToken);
                }

                tokens++;
            }
        }

        return (keys, tokens);
    }

    private static async Task<long> RequireAccountAsync(IArchiveStore store, string name, CancellationToken cancellationToken) =>
        await store.FindAccountAsync(name, cancellationToken)
            ?? throw new ArchiveStoreException($"The account '{name}' is not in {store.Description}.");
}
