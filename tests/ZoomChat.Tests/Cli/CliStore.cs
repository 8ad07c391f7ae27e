using System.Text;
using System.Text.Json;
using ZoomChat.Cli;
using ZoomChat.Cli.Progress;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Cli;

/// <summary>
/// A store file of its own for one test, driven through the <c>zoomchat</c> command in-process
/// (<see cref="ZoomChatCommandLine.RunAsync"/>) with captured output. The store is the file a
/// <see cref="TestArchive"/> on <see cref="Folder"/> serves, so that a test can start a server on it.
/// Each run builds its own command tree and gets its own writers, so tests run it in parallel.
/// </summary>
internal sealed class CliStore : IDisposable
{
    public TempFolder Folder { get; } = new();

    private string? _storePath;

    /// <summary>The store's <c>--store</c> value: a SQLite file in <see cref="Folder"/>, or a PostgreSQL database of its own (<see cref="TestStores"/>).</summary>
    public string StorePath => _storePath ??= TestStores.Create(Folder);

    /// <summary>Runs <c>zoomchat ARGS --store STORE</c>.</summary>
    public Task<CliResult> RunAsync(params string[] args) => RunWithoutStoreAsync([.. args, "--store", StorePath]);

    /// <summary>Runs <c>zoomchat ARGS --store STORE --json</c>, asserts success and returns the one JSON object printed.</summary>
    public async Task<JsonElement> JsonAsync(params string[] args)
    {
        var result = await RunAsync([.. args, "--json"]);
        return result.SingleJsonObject();
    }

    /// <summary>Runs exactly <c>zoomchat ARGS</c>; a minute at most, so that a command that wrongly serves cannot hang the suite.</summary>
    public static Task<CliResult> RunWithoutStoreAsync(params string[] args) => RunCoreAsync(ImportProgressDisplay.DefaultInterval, args);

    /// <summary>Runs <c>zoomchat ARGS --store STORE</c> with a plain progress line at most every <paramref name="progressInterval"/>.</summary>
    public Task<CliResult> RunWithProgressAsync(TimeSpan progressInterval, params string[] args) =>
        RunCoreAsync(progressInterval, [.. args, "--store", StorePath]);

    private static async Task<CliResult> RunCoreAsync(TimeSpan progressInterval, string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));

        // Standard output as bytes (export): a command writes text or bytes, never both, so the result has them one after the other.
        var bytes = new List<MemoryStream>();
        var exitCode = await ZoomChatCommandLine.RunAsync(args, TextReader.Null, output, OpenBytes, error, progressInterval, timeout.Token);
        Assert.False(timeout.IsCancellationRequested, $"zoomchat {string.Join(' ', args)} ran for a minute");
        return new CliResult(exitCode, output + string.Concat(bytes.Select(b => Encoding.UTF8.GetString(b.ToArray()))), error.ToString());

        Stream OpenBytes()
        {
            var stream = new MemoryStream();
            bytes.Add(stream);
            return stream;
        }
    }

    /// <summary>Writes a file in the test's folder (UTF-8, no BOM, each line ended by \n) and returns its path.</summary>
    public string WriteFile(string name, params string[] lines)
    {
        var path = System.IO.Path.Combine(Folder.Path, name);
        File.WriteAllText(path, string.Concat(lines.Select(l => l + "\n")), new UTF8Encoding(false));
        return path;
    }

    public string PathOf(string name) => System.IO.Path.Combine(Folder.Path, name);

    /// <summary>Creates an account with a key and an archive viewer's token, through the command, as an operator would.</summary>
    public async Task<TestCredentials> CreateAccountAsync(string account, string viewer = "viewer@example.com")
    {
        Assert.Equal("""{"account":"@"}""".Replace("@", account, StringComparison.Ordinal), (await JsonAsync("account", "create", account)).GetRawText());
        var key = await JsonAsync("key", "create", "--account", account);
        await JsonAsync("user", "add", "--account", account, "--email", viewer, "--archive-viewer");
        var token = await JsonAsync("token", "issue", "--account", account, "--email", viewer);
        return new TestCredentials(
            account, key.GetProperty("api_key").GetString()!, key.GetProperty("api_secret").GetString()!, token.GetProperty("access_token").GetString()!);
    }

    public void Dispose() => Folder.Dispose();
}

/// <summary>What one run of the command did.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    /// <summary>Asserts a successful run that printed exactly one line holding one JSON object, and returns it.</summary>
    public JsonElement SingleJsonObject()
    {
        Assert.True(ExitCode == 0, $"exit code {ExitCode}, stderr: {Error}");
        Assert.Equal(string.Empty, Error);
        Assert.EndsWith("\n", Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", Output[..^1], StringComparison.Ordinal);
        var json = JsonDocument.Parse(Output).RootElement.Clone();
        Assert.Equal(JsonValueKind.Object, json.ValueKind);
        return json;
    }

    /// <summary>Asserts a failed run: a non-zero exit, nothing on stdout, one "zoomchat: …" line on stderr; returns that line.</summary>
    public string OneLineError()
    {
        Assert.True(ExitCode != 0, $"exit code 0, stdout: {Output}");
        Assert.Equal(string.Empty, Output);
        var lines = Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got:\n{Error}");
        Assert.StartsWith("zoomchat: ", lines[0], StringComparison.Ordinal);
        Assert.True(lines[0].Length > "zoomchat: ".Length + 5, lines[0]);
        return lines[0];
    }
}

/// <summary>The names of a JSON object's properties, in order.</summary>
internal static class JsonKeys
{
    public static string[] Of(JsonElement json) => [.. json.EnumerateObject().Select(p => p.Name)];
}
