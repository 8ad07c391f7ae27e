using ZoomChat.Client;

namespace ZoomChat.Export;

/// <summary>The command line of the sample: arguments and environment in, an exit code out.</summary>
internal static class ExportCommand
{
    public const string Usage =
        "usage: zoomchat-export --base-address URL --from DATE --to DATE [--output FILE] [--page-size N]\n" +
        "       credentials from ZOOMCHAT_API_KEY, ZOOMCHAT_API_SECRET, ZOOMCHAT_ACCESS_TOKEN\n" +
        "       DATE is yyyy-MM-dd (a whole day, UTC) or an ISO 8601 date-time";

    /// <summary>Runs the export; <paramref name="handler"/> and <paramref name="time"/> let a test point it at an in-process server.</summary>
    /// <param name="stdout">Where <c>--help</c> writes the usage (default: standard output).</param>
    public static async Task<int> RunAsync(
        string[] args,
        Func<string, string?> environment,
        TextWriter stderr,
        HttpMessageHandler? handler = null,
        TimeProvider? time = null,
        TextWriter? stdout = null,
        CancellationToken cancellationToken = default)
    {
        if (args is ["--help"] or ["-h"] or ["-?"])
        {
            await (stdout ?? Console.Out).WriteLineAsync(Usage);
            return 0;
        }

        if (!TryParse(args, environment, out var settings, out var problem))
        {
            await stderr.WriteLineAsync($"zoomchat-export: {problem}\n{Usage}");
            return 2;
        }

        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        var client = new ZoomChatClient(http, settings.Options, time ?? TimeProvider.System);
        Stream output;
        try
        {
            output = settings.Output is null
                ? Console.OpenStandardOutput()
                : new FileStream(settings.Output, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"zoomchat-export: --output {settings.Output}: {OutputProblem(settings.Output!, e)}");
            return 1;
        }

        await using (output)
        {
            try
            {
                var summary = await ArchiveExport.WriteAsync(client, settings.From, settings.To, settings.PageSize, output, cancellationToken);
                await stderr.WriteLineAsync($"zoomchat-export: {summary.Messages} messages of {summary.Sessions} sessions");
                return 0;
            }
            catch (ZoomChatException e)
            {
                await stderr.WriteLineAsync($"zoomchat-export: the server refused: {e.Message} (code {e.Code})");
                return 1;
            }
            catch (HttpRequestException e)
            {
                await stderr.WriteLineAsync($"zoomchat-export: {e.Message}");
                return 1;
            }
            catch (IOException e)
            {
                await stderr.WriteLineAsync($"zoomchat-export: writing {settings.Output ?? "standard output"}: {e.Message}");
                return 1;
            }
        }
    }

    /// <summary>Why the output file cannot be written, in words rather than the runtime's exception.</summary>
    private static string OutputProblem(string path, Exception e) =>
        Directory.Exists(path) ? "is a folder; name a file"
        : e is DirectoryNotFoundException ? "its folder does not exist"
        : e is UnauthorizedAccessException ? "permission denied"
        : e.Message;

    private static bool TryParse(string[] args, Func<string, string?> environment, out ExportSettings settings, out string problem)
    {
        settings = null!;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (args[i] is not ("--base-address" or "--from" or "--to" or "--output" or "--page-size") || i + 1 >= args.Length)
            {
                problem = $"unexpected argument '{args[i]}'";
                return false;
            }

            values[args[i]] = args[i + 1];
        }

        if (!values.TryGetValue("--base-address", out var address) || !Uri.TryCreate(address, UriKind.Absolute, out var baseAddress))
        {
            problem = "--base-address must be an absolute URL";
            return false;
        }

        if (!values.TryGetValue("--from", out var fromText) || !TryParseBound(fromText, out var from))
        {
            problem = "--from must be a date or a date-time";
            return false;
        }

        if (!values.TryGetValue("--to", out var toText) || !TryParseBound(toText, out var to))
        {
            problem = "--to must be a date or a date-time";
            return false;
        }

        int? pageSize = null;
        if (values.TryGetValue("--page-size", out var sizeText))
        {
            if (!int.TryParse(sizeText, System.Globalization.CultureInfo.InvariantCulture, out var size) || size < 1)
            {
                problem = "--page-size must be a whole number from 1";
                return false;
            }

            pageSize = size;
        }

        var options = new ZoomChatClientOptions
        {
            BaseAddress = baseAddress,
            ApiKey = environment("ZOOMCHAT_API_KEY") ?? string.Empty,
            ApiSecret = environment("ZOOMCHAT_API_SECRET") ?? string.Empty,
            AccessToken = environment("ZOOMCHAT_ACCESS_TOKEN") ?? string.Empty,
        };
        if (options.ApiKey.Length == 0 || options.ApiSecret.Length == 0 || options.AccessToken.Length == 0)
        {
            problem = "set ZOOMCHAT_API_KEY, ZOOMCHAT_API_SECRET and ZOOMCHAT_ACCESS_TOKEN";
            return false;
        }

        settings = new ExportSettings(options, from, to, pageSize, values.GetValueOrDefault("--output"));
        problem = string.Empty;
        return true;
    }

    private static bool TryParseBound(string text, out ChatRangeBound bound)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date))
        {
            bound = date;
            return true;
        }

        if (text.Contains('T', StringComparison.OrdinalIgnoreCase)
            && DateTimeOffset.TryParse(
                text,
                System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal,
                out var instant))
        {
            bound = instant;
            return true;
        }

        bound = default;
        return false;
    }

    private sealed record ExportSettings(ZoomChatClientOptions Options, ChatRangeBound From, ChatRangeBound To, int? PageSize, string? Output);
}
