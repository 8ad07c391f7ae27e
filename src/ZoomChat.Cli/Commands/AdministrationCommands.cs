using System.CommandLine;
using ZoomChat.Client.Wire;
using ZoomChat.Server.Accounts;

namespace ZoomChat.Cli.Commands;

/// <summary><c>account</c>, <c>key</c>, <c>user</c> and <c>token</c>: who may read the archive (docs/api.md#credentials-and-access-tokens).</summary>
internal static class AdministrationCommands
{
    private static Option<string> AccountOption() => new("--account") { Description = "The account's name", Required = true };

    public static Command Account(CliRunner run)
    {
        var name = new Argument<string>("NAME") { Description = "The account's name" };
        var create = new Command("create", "Create an account") { name };
        create.SetAction(run(async (cli, result, token) =>
        {
            var admin = await AdministrationAsync(cli, token);
            var account = result.GetValue(name)!.Trim();
            await admin.CreateAccountAsync(account, token);
            Report(cli, $"Created account '{account}'.", json => json.WriteString("account", account));
        }));
        return new Command("account", "Manage accounts") { create };
    }

    public static Command Key(CliRunner run)
    {
        var createAccount = AccountOption();
        var create = new Command("create", "Create an API key and secret; the secret is shown this once") { createAccount };
        create.SetAction(run(async (cli, result, token) =>
        {
            var admin = await AdministrationAsync(cli, token);
            var (apiKey, apiSecret) = await admin.CreateApiKeyAsync(result.GetValue(createAccount)!, token);
            Report(
                cli,
                $"api_key:    {apiKey}\napi_secret: {apiSecret}\nKeep the secret now: it is stored only as a hash and cannot be shown again.",
                json =>
                {
                    json.WriteString("api_key", apiKey);
                    json.WriteString("api_secret", apiSecret);
                });
        }));

        var revokeAccount = AccountOption();
        var apiKeyArgument = new Argument<string>("API_KEY") { Description = "The key to revoke" };
        var revoke = new Command("revoke", "Revoke an API key") { revokeAccount, apiKeyArgument };
        revoke.SetAction(run(async (cli, result, token) =>
        {
            var admin = await AdministrationAsync(cli, token);
            await admin.RevokeApiKeyAsync(result.GetValue(revokeAccount)!, result.GetValue(apiKeyArgument)!, token);
            Report(cli, "Revoked.", json => json.WriteBoolean("revoked", true));
        }));
        return new Command("key", "Manage API credentials") { create, revoke };
    }

    public static Command User(CliRunner run)
    {
        var account = AccountOption();
        var email = new Option<string>("--email") { Description = "The user's e-mail", Required = true };
        var name = new Option<string?>("--name") { Description = "The user's display name" };
        var viewer = new Option<bool>("--archive-viewer") { Description = "Grant the archive-view privilege" };
        var add = new Command("add", "Add a user, or update an existing one") { account, email, name, viewer };
        add.SetAction(run(async (cli, result, token) =>
        {
            var admin = await AdministrationAsync(cli, token);
            var stored = await admin.AddUserAsync(
                result.GetValue(account)!, result.GetValue(email)!, result.GetValue(name), result.GetValue(viewer), token);
            Report(cli, $"User {stored} saved.", json => json.WriteString("email", stored));
        }));
        return new Command("user", "Manage users") { add };
    }

    public static Command Token(CliRunner run)
    {
        var issueAccount = AccountOption();
        var email = new Option<string>("--email") { Description = "The user the token is for (needs the archive-view privilege)", Required = true };
        var expiresIn = new Option<long?>("--expires-in") { Description = "Lifetime in seconds (default: no expiry)" };
        var issue = new Command("issue", "Issue an archive access token; shown this once") { issueAccount, email, expiresIn };
        issue.SetAction(run(async (cli, result, token) =>
        {
            var admin = await AdministrationAsync(cli, token);
            var seconds = result.GetValue(expiresIn);
            if (seconds is <= 0 or > 100L * 365 * 86_400)
            {
                throw new CliException("--expires-in must be a number of seconds from 1 to 3153600000.");
            }

            var (accessToken, expiresAt) = await admin.IssueAccessTokenAsync(
                result.GetValue(issueAccount)!, result.GetValue(email)!, seconds is { } s ? TimeSpan.FromSeconds(s) : null, token);
            var expiry = expiresAt is { } at ? ZoomTime.ToWire(at) : null;
            Report(
                cli,
                $"access_token: {accessToken}\nexpires_at:   {expiry ?? "never"}\nKeep the token now: it is stored only as a hash and cannot be shown again.",
                json =>
                {
                    json.WriteString("access_token", accessToken);
                    if (expiry is null)
                    {
                        json.WriteNull("expires_at");
                    }
                    else
                    {
                        json.WriteString("expires_at", expiry);
                    }
                });
        }));

        var revokeAccount = AccountOption();
        var tokenArgument = new Argument<string>("TOKEN") { Description = "The access token to revoke" };
        var revoke = new Command("revoke", "Revoke an archive access token") { revokeAccount, tokenArgument };
        revoke.SetAction(run(async (cli, result, token) =>
        {
            var admin = await AdministrationAsync(cli, token);
            await admin.RevokeAccessTokenAsync(result.GetValue(revokeAccount)!, result.GetValue(tokenArgument)!, token);
            Report(cli, "Revoked.", json => json.WriteBoolean("revoked", true));
        }));
        return new Command("token", "Manage archive access tokens") { issue, revoke };
    }

    private static async Task<ArchiveAdministration> AdministrationAsync(CliContext cli, CancellationToken cancellationToken) =>
        new(await cli.OpenStoreAsync(cancellationToken), TimeProvider.System);

    private static void Report(CliContext cli, string text, Action<System.Text.Json.Utf8JsonWriter> json)
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
}
