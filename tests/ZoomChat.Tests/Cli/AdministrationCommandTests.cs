using System.Globalization;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Cli;

/// <summary><c>zoomchat account|key|user|token</c> and their <c>--json</c> output (docs/operations.md#accounts-credentials-and-tokens).</summary>
public sealed class AdministrationCommandTests
{
    [StoreFact]
    public async Task Account_create_prints_the_account()
    {
        using var cli = new CliStore();

        var json = await cli.JsonAsync("account", "create", "acme");

        Assert.Equal("""{"account":"acme"}""", json.GetRawText());
    }

    [StoreFact]
    public async Task Account_create_without_json_says_so_in_words_and_the_account_exists()
    {
        using var cli = new CliStore();

        var created = await cli.RunAsync("account", "create", "acme");
        var again = await cli.RunAsync("account", "create", "acme");

        Assert.Equal((0, string.Empty), (created.ExitCode, created.Error));
        Assert.Contains("acme", created.Output, StringComparison.Ordinal);
        Assert.Contains("acme", again.OneLineError(), StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Key_create_prints_a_new_key_and_secret_each_time()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");

        var first = await cli.JsonAsync("key", "create", "--account", "acme");
        var second = await cli.JsonAsync("key", "create", "--account", "acme");

        Assert.Equal(["api_key", "api_secret"], JsonKeys.Of(first));
        Assert.Equal(["api_key", "api_secret"], JsonKeys.Of(second));
        var values = new[] { first, second }.SelectMany(j => new[] { j.GetProperty("api_key").GetString()!, j.GetProperty("api_secret").GetString()! }).ToList();
        Assert.All(values, v => Assert.True(v.Length >= 16, v));
        Assert.Equal(4, values.Distinct(StringComparer.Ordinal).Count());
    }

    [StoreFact]
    public async Task Key_revoke_prints_revoked_true()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        var key = (await cli.JsonAsync("key", "create", "--account", "acme")).GetProperty("api_key").GetString()!;

        var json = await cli.JsonAsync("key", "revoke", "--account", "acme", key);

        Assert.Equal("""{"revoked":true}""", json.GetRawText());
    }

    [StoreFact]
    public async Task Key_revoke_of_another_accounts_key_is_refused()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        await cli.JsonAsync("account", "create", "globex");
        var key = (await cli.JsonAsync("key", "create", "--account", "globex")).GetProperty("api_key").GetString()!;

        var result = await cli.RunAsync("key", "revoke", "--account", "acme", key, "--json");

        result.OneLineError();
    }

    [StoreFact]
    public async Task User_add_prints_the_email_as_stored_in_lower_case()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");

        var json = await cli.JsonAsync("user", "add", "--account", "acme", "--email", "Ann.Lee@Acme.COM", "--name", "Ann Lee");

        Assert.Equal("""{"email":"ann.lee@acme.com","archive_viewer":false}""", json.GetRawText());
    }

    [StoreTheory]
    [InlineData("", true)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public async Task User_add_sets_the_archive_view_privilege_both_ways(string value, bool expected)
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        await cli.JsonAsync("user", "add", "--account", "acme", "--email", "ann@acme.com", "--archive-viewer", expected ? "false" : "true");
        string[] flag = value.Length == 0 ? ["--archive-viewer"] : ["--archive-viewer", value];

        var json = await cli.JsonAsync(["user", "add", "--account", "acme", "--email", "ann@acme.com", .. flag]);
        var listed = await cli.JsonAsync("user", "list", "--account", "acme");

        Assert.Equal(expected, json.GetProperty("archive_viewer").GetBoolean());
        Assert.Equal(expected, listed.GetProperty("users")[0].GetProperty("archive_viewer").GetBoolean());
    }

    [StoreFact]
    public async Task User_add_without_the_flag_keeps_the_privilege_and_says_which_it_is()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        await cli.JsonAsync("user", "add", "--account", "acme", "--email", "ann@acme.com", "--archive-viewer");

        var result = await cli.RunAsync("user", "add", "--account", "acme", "--email", "ann@acme.com", "--name", "Ann");

        Assert.Equal((0, "User ann@acme.com saved; archive viewer: yes.\n", string.Empty), (result.ExitCode, result.Output, result.Error));
    }

    [StoreFact]
    public async Task Taking_the_privilege_away_stops_the_users_tokens_and_new_ones()
    {
        using var cli = new CliStore();
        var acme = await cli.CreateAccountAsync("acme", "viewer@acme.com");

        await cli.JsonAsync("user", "add", "--account", "acme", "--email", "viewer@acme.com", "--archive-viewer", "false");
        var issue = await cli.RunAsync("token", "issue", "--account", "acme", "--email", "viewer@acme.com");
        var tokens = await cli.JsonAsync("token", "list", "--account", "acme");

        Assert.Contains("archive-view privilege", issue.OneLineError(), StringComparison.Ordinal);
        Assert.Equal("no-privilege", tokens.GetProperty("access_tokens")[0].GetProperty("status").GetString());
        await using var server = await ServerProcess.StartAsync(cli.StorePath, TimeProvider.System);
        using var response = await server.Http.PostAsync(
            "/v1/chat/list", new FormUrlEncodedContent(acme.With(("from", "2016-01-16"), ("to", "2016-01-22"))));
        Assert.Contains("\"code\":124", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Token_issue_is_refused_for_a_user_without_the_archive_view_privilege()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        await cli.JsonAsync("user", "add", "--account", "acme", "--email", "ann@acme.com");

        var result = await cli.RunAsync("token", "issue", "--account", "acme", "--email", "ann@acme.com", "--json");

        Assert.Contains("archive-view privilege", result.OneLineError(), StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Token_issue_without_expiry_prints_the_token_and_a_null_expiry()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        await cli.JsonAsync("user", "add", "--account", "acme", "--email", "ann@acme.com", "--archive-viewer");

        var json = await cli.JsonAsync("token", "issue", "--account", "acme", "--email", "ANN@acme.com");

        Assert.Equal(["access_token", "expires_at"], JsonKeys.Of(json));
        Assert.True(json.GetProperty("access_token").GetString()!.Length >= 16);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("expires_at").ValueKind);
    }

    [StoreFact]
    public async Task Token_issue_with_expires_in_prints_when_it_expires_in_the_response_time_format()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        await cli.JsonAsync("user", "add", "--account", "acme", "--email", "ann@acme.com", "--archive-viewer");

        var before = DateTimeOffset.UtcNow;
        var json = await cli.JsonAsync("token", "issue", "--account", "acme", "--email", "ann@acme.com", "--expires-in", "3600");
        var after = DateTimeOffset.UtcNow;

        Assert.Equal(["access_token", "expires_at"], JsonKeys.Of(json));
        var expiresAt = DateTimeOffset.ParseExact(
            json.GetProperty("expires_at").GetString()!, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        Assert.InRange(expiresAt, before.AddHours(1).AddMilliseconds(-1), after.AddHours(1));
    }

    [StoreFact]
    public async Task Token_revoke_prints_revoked_true()
    {
        using var cli = new CliStore();
        var acme = await cli.CreateAccountAsync("acme");

        var json = await cli.JsonAsync("token", "revoke", "--account", "acme", acme.AccessToken);

        Assert.Equal("""{"revoked":true}""", json.GetRawText());
    }

    [StoreFact]
    public async Task A_token_that_starts_with_a_dash_is_a_token_not_an_option()
    {
        using var cli = new CliStore();
        await cli.CreateAccountAsync("acme");

        // A token made by an earlier zoomchat starts with '-' one time in 64; only a real option's shape is refused as one.
        var result = await cli.RunAsync("token", "revoke", "--account", "acme", "-HCmIc_7CLK_9qwlryivIvm7TudZV3Rfr135SSS7WoM");

        Assert.Equal("zoomchat: The account 'acme' has no such access token.", result.OneLineError());
    }

    // A key made by an earlier zoomchat may begin with two dashes, the shape of a mistyped option.
    [StoreFact]
    public async Task A_key_that_begins_with_two_dashes_is_taken_as_a_key_after_a_double_dash()
    {
        using var cli = new CliStore();
        await cli.CreateAccountAsync("acme");

        // The store first: after "--" every argument is taken as it is.
        var result = await CliStore.RunWithoutStoreAsync("key", "revoke", "--account", "acme", "--store", cli.StorePath, "--", "--ZAbDwhQhzboy9Z3LjVow");

        Assert.Equal("zoomchat: The account 'acme' has no such API key.", result.OneLineError());
    }

    [StoreFact]
    public async Task Token_revoke_of_another_accounts_token_is_refused()
    {
        using var cli = new CliStore();
        await cli.CreateAccountAsync("acme");
        var globex = await cli.CreateAccountAsync("globex");

        var result = await cli.RunAsync("token", "revoke", "--account", "acme", globex.AccessToken);

        result.OneLineError();
    }

    [StoreFact]
    public async Task The_store_can_also_be_given_before_the_command()
    {
        using var cli = new CliStore();

        var result = await CliStore.RunWithoutStoreAsync("--store", cli.StorePath, "--json", "account", "create", "acme");

        Assert.Equal("""{"account":"acme"}""", result.SingleJsonObject().GetRawText());
        Assert.True(TestStores.Current == StoreKind.Postgres || File.Exists(cli.StorePath));
    }
}
