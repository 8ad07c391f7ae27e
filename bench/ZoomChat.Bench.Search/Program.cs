using System.Diagnostics;
using System.Globalization;
using ZoomChat.Server.Search;
using ZoomChat.Server.Storage;
using ZoomChat.Server.Storage.Sqlite;

// Times the first page of a search, many times, on one store (docs/benchmarks.md#search):
//   zoomchat-bench-search STORE ACCOUNT QUERY [RUNS] [LIMIT]       STORE: a SQLite file or a postgres:// URL
// Prints the hits of the page, how many the whole search has (read page after page, once), and the
// p50, p90 and p99 of the first page's latency over RUNS runs after 5 warm-up runs.
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: zoomchat-bench-search STORE ACCOUNT QUERY [RUNS] [LIMIT]");
    return 2;
}

var runs = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 200;
var limit = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 50;
// A SQLite file is opened read-only; any other value is a --store value, as for zoomchat (PostgreSQL).
await using var store = File.Exists(args[0])
    ? new SqliteArchiveStore($"Data Source={args[0]};Mode=ReadOnly")
    : ArchiveStores.Open(args[0]);
await store.InitializeAsync(CancellationToken.None);
var search = (IArchiveSearch)store;
var accountId = await store.FindAccountAsync(args[1], CancellationToken.None)
    ?? throw new InvalidOperationException($"no account '{args[1]}'");
var query = SearchQueryParser.Parse(args[2]);

long total = 0;
var pages = 0;
var all = Stopwatch.StartNew();
for (SearchCursor? cursor = null; ;)
{
    var page = await search.SearchAsync(accountId, query, cursor, 1000, CancellationToken.None);
    total += page.Hits.Count;
    pages++;
    if ((cursor = page.Next) is null)
    {
        break;
    }
}

all.Stop();
var first = await search.SearchAsync(accountId, query, null, limit, CancellationToken.None);
for (var i = 0; i < 5; i++)
{
    await search.SearchAsync(accountId, query, null, limit, CancellationToken.None);
}

// Wall time, and the process's CPU time: on a machine shared with other work the two part, and
// the CPU time is what the search itself costs.
var times = new double[runs];
var cpu = new double[runs];
using var process = Process.GetCurrentProcess();
for (var i = 0; i < runs; i++)
{
    process.Refresh();
    var cpuBefore = process.TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    await search.SearchAsync(accountId, query, null, limit, CancellationToken.None);
    times[i] = watch.Elapsed.TotalMilliseconds;
    process.Refresh();
    cpu[i] = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
}

Array.Sort(times);
Array.Sort(cpu);
double At(double q) => times[Math.Min(times.Length - 1, (int)(q * times.Length))];
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"{args[2]}\tpage {first.Hits.Count} of {total} hits ({pages} pages of 1000 in {all.Elapsed.TotalMilliseconds:F0} ms)\tfirst page p50 {At(0.5):F2} ms  p90 {At(0.9):F2} ms  p99 {At(0.99):F2} ms  CPU p50 {cpu[cpu.Length / 2]:F2} ms  ({runs} runs)"));
return 0;
