using System.CommandLine;
using System.Text.Json;
using ZoomChat.Client.Wire;
using ZoomChat.Server.Accounts;
using ZoomChat.Server.Storage;

namespace ZoomChat.Cli.Commands;

/// <summary><c>account</c>, <c>key</c>, <c>user</c> and <c>token</c>: who may read the archive (docs/api.md#credentials-and-access-tokens).</summary>
internal static class AdministrationCommands
{
    /// <summary>The longest token lifetime <c>--expires-in</c> takes: 100 years.</summary>
    private const long MaxTokenSeconds = 100L * 365 * 86_400;

    private static Option<string> AccountOption() => new("--account") { Description = "The account's name", Required = true };

    public static Command Account(CliRunner run)
    {
        var name = new Argument<string>("NAME") { Description = "The account's name" };
        var create = new Command("create", "Create an account") { name };
        create.SetAction(run(async (cli, result, token) =>
        {
            await using var store = await cli.OpenWritableStoreAsync("account create", token);
            var account = result.GetValue(name)!.Trim();
            await Administration(store).CreateAccountAsync(account, token);
            Report(cli, $"Created account '{account}'.", json => json.WriteString("account", account));
        }));

        var list = new Command("list", "List the accounts");
        list.SetAction(run(async (cli, result, token) =>
        {
            await using var store = await cli.OpenStoreAsync(token);
            var accounts = await Administration(store).ListAccountsAsync(token);
            ReportList(
                cli,
                "accounts",
                accounts,
                ["NAME", "CREATED"],
                a => [a.Name, Time(a.CreatedAt)],
                (json, a) =>
                {
                    json.WriteString("name", a.Name);
                    json.WriteString("created_at", Time(a.CreatedAt));
                });
        }));
        return new Command("account", "Manage accounts") { create, list };
    }

    public static Command Key(CliRunner run)
    {
        var createAccount = AccountOption();
        var create = new Command("create", "Create an API key and secret; the secret is shown this once") { createAccount };
        create.SetAction(run(async (cli, result, token) =>
        {
            await using var store = await cli.OpenWritableStoreAsync("key create", token);
            var (apiKey, apiSecret) = await Administration(store).CreateApiKeyAsync(result.GetValue(createAccount)!, token);
            Report(
                cli,
                $"api_key:    {apiKey}\napi_secret: {apiSecret}\nKeep the secret now: it is stored only as a hash and cannot be shown again.",
                json =>
                {
                    json.WriteString("api_key", apiKey);
                    json.WriteString("api_secret", apiSecret);
                });
        }));

        var listAccount = AccountOption();
        var list = new Command("list", "List an account's API keys (never their secrets)") { listAccount };
        list.SetAction(run(async (cli, result, token) =>
        {
            await using var store = await cli.OpenStoreAsync(token);
            var keys = await Administration(store).ListApiKeysAsync(result.GetValue(listAccount)!, token);
            ReportList(
                cli,
                "api_keys",
                keys,
                ["API_KEY", "CREATED", "REVOKED"],
                k => [k.ApiKey, Time(k.CreatedAt), Time(k.RevokedAt) ?? "-"],
                (json, k) =>
                {
                    json.WriteString("api_key", k.ApiKey);
                    json.WriteString("created_at", Time(k.CreatedAt));
                    WriteTimeOrNull(json, "revoked_at", k.RevokedAt);
                });
        }));

        var revokeAccount = AccountOption();
        var apiKeyArgument = new Argument<string>("API_KEY") { Description = "The key to revoke" };
        var revoke = new Command("revoke", "Revoke an API key") { revokeAccount, apiKeyArgument };
        revoke.SetAction(run(async (cli, result, token) =>
        {
            await using var store = await cli.OpenWritableStoreAsync("key revoke", token);
            await Administration(store).RevokeApiKeyAsync(result.GetValue(revokeAccount)!, result.GetValue(apiKeyArgument)!, token);
            Report(cli, "Revoked.", json => json.WriteBoolean("revoked", true));
        }));
        return new Command("key", "Manage API credentials") { create, list, revoke };
    }

    public static Command User(CliRunner run)
    {
        var account = AccountOption();
        var email = new Option<string>("--email") { Description = "The user's e-mail", Required = true };
        var name = new Option<string?>("--name") { Description = "The user's display name" };
        // Three states: left out keeps the privilege as it is, "--archive-viewer" or "--archive-viewer true"
        // grants it, "--archive-viewer false" takes it away (docs/compatibility.md#accounts-and-credentials).
        var viewer = new Option<bool?>("--archive-viewer") { Description = "Grant the archive-view privilege (true, the default), or take it away (false)" };
        var add = new Command("add", "Add a user, or update an existing one") { account, email, name, viewer };
        add.SetAction(run(async (cli, result, token) =>
        {
            await using var store = await cli.OpenWritableStoreAsync("user add", token);
            var (stored, archiveViewer) = await Administration(store).AddUserAsync(
                result.GetValue(account)!, result.GetValue(email)!, result.GetValue(name), result.GetValue(viewer), token);
            Report(
                cli,
                $"User {stored} saved; archive viewer: {(archiveViewer ? "yes" : "no")}.",
                json =>
                {
                    json.WriteString("email", stored);
                    json.WriteBoolean("archive_viewer", archiveViewer);
                });
        }));

        var listAccount = AccountOption();
        var list = new Command("list", "List an account's users: those added and those its imports named") { listAccount };
        list.SetAction(run(async (cli, result, token) =>
        {
            await using var store = await cli.OpenStoreAsync(token);
            var users = await Administration(store).ListUsersAsync(result.GetValue(listAccount)!, token);
            ReportList(
                cli,
                "users",
                users,
                ["EMAIL", "NAME", "ARCHIVE_VIEWER"],
                u => [u.Email, u.DisplayName ?? "-", u.ArchiveViewer ? "yes" : "no"],
                (json, u) =>
                {
                    json.WriteString("email", u.Email);
                    json.WriteString("name", u.DisplayName);
                    json.WriteBoolean("archive_viewer", u.ArchiveViewer);
                });
        }));

        var removeAccount = AccountOption();
        var removeEmail = new Option<string>("--email") { Description = "The user's e-mail", Required = true };
        var remove = new Command(
            "remove",
            "Revoke a user's tokens and archive-view privilege; delete the user unless archived messages name them")
        {
            removeAccount, removeEmail,
        };
        remove.SetAction(run(async (cli, result, token) =>
        {
            await using var store = await cli.OpenWritableStoreAsync("user remove", token);
            var (removed, removal) = await Administration(store).RemoveUserAsync(result.GetValue(removeAccount)!, result.GetValue(removeEmail)!, token);
            var tokens = removal.TokensRevoked == 1 ? "1 access token" : $"{removal.TokensRevoked} access tokens";
            var outcome = removal.Deleted
                ? "deleted: no archived message names them"
                : "kept without the archive-view privilege, as the archive's messages name them and stay as they are";
            Report(
                cli,
                $"User {removed}: revoked {tokens}; {outcome}.",
                json =>
                {
                    json.WriteString("email", removed);
                    json.WriteNumber("tokens_revoked", removal.TokensRevoked);
                    json.WriteBoolean("deleted", removal.Deleted);
                });
        }));
        return new Command("user", "Manage users") { add, list, remove };
    }

    public static Command Token(CliRunner run)
    {
        var issueAccount = AccountOption();
        var email = new Option<string>("--email") { Description = "The user the token is for (needs the archive-view privilege)", Required = true };
        var expiresIn = CliOptions.WholeNumber(
            "--expires-in", "Lifetime in seconds (default: no expiry)", 1, MaxTokenSeconds, "a number of seconds", "30 days is 2592000");
        var issue = new Command("issue", "Issue an archive access token; shown this once") { issueAccount, email, expiresIn };
        issue.SetAction(run(async (cli, result, token) =>
        {
            await using var store = await cli.OpenWritableStoreAsync("token issue", token);
            var seconds = result.GetValue(expiresIn);
            var (accessToken, expiresAt) = await Administration(store).IssueAccessTokenAsync(
                result.GetValue(issueAccount)!, result.GetValue(email)!, seconds is { } s ? TimeSpan.FromSeconds(s) : null, token);
            var expiry = Time(expiresAt);
            Report(
                cli,
                $"access_token: {accessToken}\nexpires_at:   {expiry ?? "never"}\nKeep the token now: it is stored only as a hash and cannot be shown again.",
                json =>
                {
                    json.WriteString("access_token", accessToken);
                    json.WriteString("expires_at", expiry);
                });
        }));

        var listAccount = AccountOption();
        var listEmail = new Option<string?>("--email") { Description = "Only this user's tokens" };
        var list = new Command("list", "List an account's access tokens by id (never the tokens, which are not kept)") { listAccount, listEmail };
        list.SetAction(run(async (cli, result, token) =>
        {
            await using var store = await cli.OpenStoreAsync(token);
            var tokens = await Administration(store).ListAccessTokensAsync(result.GetValue(listAccount)!, token);
            if (result.GetValue(listEmail) is { } only)
            {
                tokens = [.. tokens.Where(t => string.Equals(t.Email, only.Trim(), StringComparison.OrdinalIgnoreCase))];
            }

            var now = TimeProvider.System.GetUtcNow();
            ReportList(
                cli,
                "access_tokens",
                tokens,
                ["ID", "EMAIL", "ISSUED", "EXPIRES", "REVOKED", "STATUS"],
                t => [ArchiveAdministration.TokenId(t.TokenHash), t.Email, Time(t.IssuedAt), Time(t.ExpiresAt) ?? "never", Time(t.RevokedAt) ?? "-", Status(t, now)],
                (json, t) =>
                {
                    json.WriteString("id", ArchiveAdministration.TokenId(t.TokenHash));
                    json.WriteString("email", t.Email);
                    json.WriteString("issued_at", Time(t.IssuedAt));
                    WriteTimeOrNull(json, "expires_at", t.ExpiresAt);
                    WriteTimeOrNull(json, "revoked_at", t.RevokedAt);
                    json.WriteString("status", Status(t, now));
                });
        }));

        var revokeAccount = AccountOption();
        var tokenArgument = new Argument<string>("TOKEN") { Description = "The access token to revoke" };
        var revoke = new Command("revoke", "Revoke an archive access token") { revokeAccount, tokenArgument };
        revoke.SetAction(run(async (cli, result, token) =>
        {
            await using var store = await cli.OpenWritableStoreAsync("token revoke", token);
            await Administration(store).RevokeAccessTokenAsync(result.GetValue(revokeAccount)!, result.GetValue(tokenArgument)!, token);
            Report(cli, "Revoked.", json => json.WriteBoolean("revoked", true));
        }));
        return new Command("token", "Manage archive access tokens") { issue, list, revoke };
    }

    /// <summary>Whether a token opens the archive now, and if not, why (the checks of docs/compatibility.md#accounts-and-credentials).</summary>
    private static string Status(ListedAccessToken token, DateTimeOffset now) =>
        token.RevokedAt is not null ? "revoked"
        : token.ExpiresAt is { } expires && now >= expires ? "expired"
        : !token.UserIsArchiveViewer ? "no-privilege"
        : "active";

    private static ArchiveAdministration Administration(IArchiveStore store) => new(store, TimeProvider.System);

    private static string? Time(DateTimeOffset? time) => time is { } at ? ZoomTime.ToWire(at) : null;

    private static string Time(DateTimeOffset time) => ZoomTime.ToWire(time);

    private static void WriteTimeOrNull(Utf8JsonWriter json, string name, DateTimeOffset? time) => json.WriteString(name, Time(time));

    private static void Report(CliContext cli, string text, Action<Utf8JsonWriter> json)
    {
        if (cli.Json)
        {
            cli.WriteJson(json);
        }
        else
        {
            cli.Output.WriteLine(text);
        }
    }

    /// <summary>A list as a table of aligned columns, or with <c>--json</c> as one object holding one array.</summary>
    private static void ReportList<T>(
        CliContext cli, string name, IReadOnlyList<T> items, string[] headers, Func<T, string[]> cells, Action<Utf8JsonWriter, T> writeItem)
    {
        if (cli.Json)
        {
            cli.WriteJson(json =>
            {
                json.WriteStartArray(name);
                foreach (var item in items)
                {
                    json.WriteStartObject();
                    writeItem(json, item);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            });
            return;
        }

        if (items.Count == 0)
        {
            cli.Output.WriteLine($"No {name.Replace('_', ' ')}.");
            return;
        }

        var rows = items.Select(cells).Prepend(headers).ToList();
        var widths = headers.Select((_, column) => rows.Max(row => row[column].Length)).ToArray();
        foreach (var row in rows)
        {
            cli.Output.WriteLine(string.Join("  ", row.Select((cell, column) => column == row.Length - 1 ? cell : cell.PadRight(widths[column]))));
        }
    }
}
