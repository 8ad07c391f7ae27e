using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ZoomChat.Server.Hosting;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Cli;

/// <summary>
/// <c>zoomchat serve</c> that cannot start says why in one line on standard error, naming the flag, setting
/// or file, and exits non-zero: never a stack trace, on either stream. The real executable, so that what the
/// host itself writes to standard output is seen too.
/// </summary>
public sealed class ServeStartupTests
{
    [Fact]
    public async Task An_address_that_is_not_this_machines_is_one_line_naming_the_flag()
    {
        using var folder = new TempFolder();

        // 192.0.2.0/24 is reserved for documentation (RFC 5737): no machine has it, so binding fails here,
        // and nothing is sent anywhere.
        var result = await ZoomchatProcess.RunAsync(folder.Path, [], "serve", "--urls", "http://192.0.2.1:5095", "--store", Path.Combine(folder.Path, "a.db"));

        Assert.Equal(
            "zoomchat: --urls: cannot listen on http://192.0.2.1:5095: the address is not one of this machine's",
            result.OneLineError());
    }

    [Fact]
    public async Task A_port_another_server_holds_is_one_line_and_nothing_on_standard_output()
    {
        using var folder = new TempFolder();
        using var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)other.LocalEndpoint).Port}";

        var result = await ZoomchatProcess.RunAsync(folder.Path, [], "serve", "--urls", url, "--store", Path.Combine(folder.Path, "a.db"));

        Assert.Equal($"zoomchat: --urls: cannot listen on {url}: the port is in use (is another server running there?)", result.OneLineError());
    }

    [Theory]
    [InlineData("serve|--store|a.db")]
    [InlineData("serve|--store|a.db|--urls|http://192.0.2.1:5095")]
    [InlineData("account|list")]
    public async Task An_appsettings_file_that_is_not_json_is_one_line_naming_it_and_the_place(string args)
    {
        using var folder = new TempFolder();
        var settings = Path.Combine(folder.Path, "appsettings.json");
        await File.WriteAllTextAsync(settings, "{\n  \"ZoomChat\": { \"RateLimits\": false }\n},\n");

        var result = await ZoomchatProcess.RunAsync(folder.Path, [], args.Split('|'));

        Assert.StartsWith($"zoomchat: {settings}: not valid JSON at line 3, byte 2: ", result.OneLineError(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_setting_of_the_wrong_kind_in_the_environment_is_one_line_naming_the_setting()
    {
        using var folder = new TempFolder();

        var result = await ZoomchatProcess.RunAsync(
            folder.Path,
            [],
            new Dictionary<string, string> { ["ZoomChat__RateLimits"] = "nope" },
            "serve", "--urls", "http://192.0.2.1:5095", "--store", Path.Combine(folder.Path, "a.db"));

        Assert.Equal("zoomchat: ZoomChat:RateLimits takes true or false, not 'nope'", result.OneLineError());
    }

    [Theory]
    [InlineData("RateLimits", "nope", "ZoomChat:RateLimits takes true or false, not 'nope'")]
    [InlineData("ErrorStatus", "teapot", "ZoomChat:ErrorStatus takes one of Zoom, Http, not 'teapot'")]
    [InlineData("ChatRequestsPerSecond", "1.5", "ZoomChat:ChatRequestsPerSecond takes a whole number, not '1.5'")]
    [InlineData("MaxRangeDays", "week", "ZoomChat:MaxRangeDays takes a whole number, not 'week'")]
    [InlineData("PageTokenLifetimeSeconds", "0", "ZoomChat:PageTokenLifetimeSeconds must be from 1 to 31536000, not '0'")]
    [InlineData("RequestsPerSecond", "-3", "ZoomChat:RequestsPerSecond must be from 1 to 1000000, not '-3'")]
    public async Task A_bad_setting_names_its_key_and_what_it_takes(string key, string value, string message)
    {
        using var folder = new TempFolder();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration[$"ZoomChat:{key}"] = value;
        builder.Configuration["ZoomChat:Store"] = Path.Combine(folder.Path, "a.db");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ZoomChatServer.BuildAsync(builder));

        Assert.Equal(message, error.Message);
    }
}
