using System.CommandLine;
using ZoomChat.Client.Wire;
using ZoomChat.Server.Search;
using ZoomChat.Server.Storage;

namespace ZoomChat.Cli.Commands;

/// <summary><c>search</c>: full-text search over one account's archived messages, newest first (docs/search.md).</summary>
internal static class SearchCommands
{
    /// <summary>How many hits one store call reads; every hit, or the newest --limit, is read page after page.</summary>
    private const int PageSize = 500;

    public static Command Search(CliRunner run)
    {
        var account = new Option<string>("--account") { Description = "The account whose messages are searched", Required = true };
        var limit = CliOptions.WholeNumber("--limit", "Print only the newest N hits (default: every hit)", 1, int.MaxValue, "a number of hits");
        var words = new Argument<string[]>("QUERY")
        {
            Description = "Words, \"exact phrases\", -excluded words, from:EMAIL, in:SESSION_ID, after:DATE, before:DATE (docs/search.md)",
            Arity = ArgumentArity.OneOrMore,
        };
        var search = new Command("search", "Search an account's messages, newest first") { account, limit, words };
        search.SetAction(run(async (cli, result, token) =>
        {
            SearchQuery query;
            try
            {
                // The shell splits the query at spaces; its parts are one query again.
                query = SearchQueryParser.Parse(string.Join(' ', result.GetValue(words)!));
            }
            catch (SearchQueryException e)
            {
                throw new CliException($"Cannot read the search: {e.Message}");
            }

            var name = result.GetValue(account)!;
            var wanted = result.GetValue(limit) ?? long.MaxValue;
            await using var store = await cli.OpenStoreAsync(token);
            if (store is not IArchiveSearch searcher)
            {
                throw new CliException($"The store {cli.OpenedStore} cannot search messages.");
            }

            var accountId = await store.FindAccountAsync(name, token) ?? throw new CliException($"There is no account '{name}'.");
            long printed = 0;
            SearchCursor? cursor = null;
            var more = false;
            do
            {
                var page = await searcher.SearchAsync(accountId, query, cursor, (int)Math.Min(PageSize, wanted - printed), token);
                foreach (var hit in page.Hits)
                {
                    await WriteAsync(cli, hit);
                }

                printed += page.Hits.Count;
                cursor = page.Next;
                more = cursor is not null;
            }
            while (more && printed < wanted);

            if (!cli.Json)
            {
                await cli.Output.WriteLineAsync(
                    printed == 0 ? "No message matches."
                    : more ? $"{printed} newest {Messages(printed)} shown; older ones match too (raise --limit)."
                    : $"{printed} {Messages(printed)}.");
            }
        }));
        return search;
    }

    private static string Messages(long count) => count == 1 ? "message" : "messages";

    private static async Task WriteAsync(CliContext cli, SearchHit hit)
    {
        var time = ZoomTime.ToWire(DateTimeOffset.FromUnixTimeMilliseconds(hit.DateTimeMs));
        if (cli.Json)
        {
            cli.WriteJson(json =>
            {
                json.WriteString("session_id", hit.SessionId);
                json.WriteString("message_id", hit.MessageId);
                json.WriteString("date_time", time);
                json.WriteString("sender", hit.Sender);
                json.WriteString("message", hit.Message);
            });
            return;
        }

        // A heading line, then the text indented, each of its lines: a pasted log stays readable.
        await cli.Output.WriteLineAsync($"{time}  {hit.Sender ?? "(no sender)"}  in {hit.SessionId}");
        foreach (var line in hit.Message.Split('\n'))
        {
            await cli.Output.WriteLineAsync($"    {line.TrimEnd('\r')}");
        }
    }
}
