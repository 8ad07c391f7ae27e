using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Cli;

/// <summary><c>zoomchat demo</c> on a store of its own only: its credentials are public (README.md).</summary>
public sealed class DemoCommandTests
{
    [StoreFact]
    public async Task Demo_refuses_a_store_that_holds_other_accounts_and_adds_nothing_to_it()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");

        // Were the store accepted, the bad --urls would stop the demo after it filled the store, not hang the test.
        var result = await cli.RunAsync("demo", "--urls", "not-a-url");

        Assert.Equal(
            $"zoomchat: The store {TestStores.Describe(cli.StorePath)} holds other accounts (acme), and the demo adds one whose credentials are public: "
            + "give the demo a store of its own (the default is data/demo.db).",
            result.OneLineError());
        var accounts = await cli.JsonAsync("account", "list");
        Assert.Equal(["acme"], accounts.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.Equal("""{"api_keys":[]}""", (await cli.JsonAsync("key", "list", "--account", "acme")).GetRawText());
    }
}
