using System.Diagnostics;
using System.Globalization;
using CsCheck;
using ZoomChat.Tests.Fuzzing;

// zoomchat-fuzz lines ACCOUNT
//     the interchange lines of the fuzzed archive's account, for zoomchat import
// zoomchat-fuzz run --url URL --caller KEY:SECRET:TOKEN --other KEY:SECRET:TOKEN
//                   [--requests N | --minutes M] [--connections C] [--timeout SECONDS]
//                   [--error-status zoom|http] [--server-pid PID] [--replay SEED]
//     sends generated requests and reports what broke the contract (docs/reliability.md#fuzzing)
if (args is ["lines", var account])
{
    foreach (var line in FuzzArchive.Lines(account))
    {
        Console.WriteLine(line);
    }

    return 0;
}

if (args.Length == 0 || args[0] != "run")
{
    Console.Error.WriteLine("usage: zoomchat-fuzz lines ACCOUNT | zoomchat-fuzz run --url URL --caller KEY:SECRET:TOKEN --other KEY:SECRET:TOKEN [--requests N | --minutes M] [--connections C] [--timeout S] [--error-status zoom|http] [--server-pid PID] [--replay SEED]");
    return 2;
}

var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 1; i + 1 < args.Length; i += 2)
{
    options[args[i]] = args[i + 1];
}

string Option(string name, string? fallback = null) =>
    options.TryGetValue(name, out var value) ? value : fallback ?? throw new ArgumentException($"zoomchat-fuzz: {name} is required");

FuzzCredentials Credentials(string account, string text)
{
    var parts = text.Split(':');
    return parts.Length == 3 ? new FuzzCredentials(account, parts[0], parts[1], parts[2]) : throw new ArgumentException($"zoomchat-fuzz: credentials take KEY:SECRET:TOKEN, not '{text}'");
}

var url = new Uri(Option("--url"));
var httpErrorStatus = Option("--error-status", "zoom") == "http";
var timeout = TimeSpan.FromSeconds(double.Parse(Option("--timeout", "10"), CultureInfo.InvariantCulture));
var maxRequests = long.Parse(Option("--requests", "0"), CultureInfo.InvariantCulture);
var minutes = double.Parse(Option("--minutes", "0"), CultureInfo.InvariantCulture);
var connections = int.Parse(Option("--connections", "4"), CultureInfo.InvariantCulture);
var serverPid = options.TryGetValue("--server-pid", out var pidText) ? int.Parse(pidText, CultureInfo.InvariantCulture) : (int?)null;

FuzzTarget target;
await using (var setup = new FuzzConnection(url, timeout))
{
    target = await FuzzArchive.HarvestAsync(
        setup, Credentials(FuzzArchive.CallerAccount, Option("--caller")), Credentials(FuzzArchive.OtherAccount, Option("--other")), httpErrorStatus, CancellationToken.None);
}

var generator = FuzzRequests.For(target);

if (options.TryGetValue("--replay", out var replaySeed))
{
    var request = generator.Generate(PCG.Parse(replaySeed), null, out _);
    await using var connection = new FuzzConnection(url, timeout);
    var answer = await connection.SendAsync(request, CancellationToken.None);
    var verdict = ApiContract.Judge(request, answer, httpErrorStatus);
    Console.WriteLine($"{request}\n--- answer ---\n{answer}\n--- verdict: {verdict.Kind} {verdict.Violation}");
    return verdict.Kind == AnswerKind.Violation ? 1 : 0;
}

if ((maxRequests > 0) == (minutes > 0))
{
    Console.Error.WriteLine("zoomchat-fuzz: give one of --requests N or --minutes M");
    return 2;
}

var deadline = minutes > 0 ? Stopwatch.GetTimestamp() + (long)(minutes * 60 * Stopwatch.Frequency) : long.MaxValue;
var counts = new long[4];
long sent = 0, hangs = 0, fivexx = 0, outsideEnvelope = 0, secrets = 0;
var violations = new System.Collections.Concurrent.ConcurrentQueue<string>();
var rss = new List<long>();
long RssKiB()
{
    if (serverPid is null)
    {
        return 0;
    }

    var line = File.ReadLines($"/proc/{serverPid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
    return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}

rss.Add(RssKiB());
var started = Stopwatch.StartNew();
using var stop = new CancellationTokenSource();
var sampler = Task.Run(async () =>
{
    var lastReport = 0L;
    while (!stop.IsCancellationRequested)
    {
        try
        {
            await Task.Delay(1000, stop.Token);
        }
        catch (OperationCanceledException)
        {
            break;
        }

        rss.Add(RssKiB());
        if (started.Elapsed.TotalSeconds - lastReport >= 30)
        {
            lastReport = (long)started.Elapsed.TotalSeconds;
            Console.Error.WriteLine($"{started.Elapsed:hh\\:mm\\:ss} {Interlocked.Read(ref sent):N0} requests, {Interlocked.Read(ref sent) / started.Elapsed.TotalSeconds:N0}/s, violations {counts[(int)AnswerKind.Violation]:N0}, server RSS {rss[^1] / 1024.0:N1} MiB");
        }
    }
});

var workers = Enumerable.Range(0, connections).Select(worker => Task.Run(async () =>
{
    var pcg = new PCG((uint)worker + 1, (ulong)Stopwatch.GetTimestamp());
    await using var connection = new FuzzConnection(url, timeout);
    while (Stopwatch.GetTimestamp() < deadline)
    {
        var number = Interlocked.Increment(ref sent);
        if (maxRequests > 0 && number > maxRequests)
        {
            Interlocked.Decrement(ref sent);
            break;
        }

        var seed = pcg.ToString();
        var request = generator.Generate(pcg, null, out _);
        var answer = await connection.SendAsync(request, CancellationToken.None);
        var verdict = ApiContract.Judge(request, answer, httpErrorStatus);
        Interlocked.Increment(ref counts[(int)verdict.Kind]);
        if (verdict.Kind != AnswerKind.Violation)
        {
            continue;
        }

        if (answer.Status == FuzzAnswer.Hang.Status)
        {
            Interlocked.Increment(ref hangs);
        }
        else if (answer.Status >= 500)
        {
            Interlocked.Increment(ref fivexx);
        }
        else if (verdict.Violation!.StartsWith("a secret", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref secrets);
        }
        else
        {
            Interlocked.Increment(ref outsideEnvelope);
        }

        if (violations.Count < 20)
        {
            violations.Enqueue($"seed {seed}: {verdict.Violation}\n{request}\n--- answer ---\n{answer}\n");
        }
    }
})).ToArray();

await Task.WhenAll(workers);
started.Stop();
await stop.CancelAsync();
await sampler;
rss.Add(RssKiB());

foreach (var violation in violations)
{
    Console.Error.WriteLine(violation);
}

var sampled = rss.Where(r => r > 0).DefaultIfEmpty(0).ToList();
Console.WriteLine($"requests sent:                 {sent:N0}");
Console.WriteLine($"duration:                      {started.Elapsed:hh\\:mm\\:ss} ({sent / started.Elapsed.TotalSeconds:N0} requests/s, {connections} connections)");
Console.WriteLine($"pages in the documented schema: {counts[(int)AnswerKind.Success]:N0}");
Console.WriteLine($"errors in the envelope:        {counts[(int)AnswerKind.Error]:N0}");
Console.WriteLine($"refused by Kestrel (no body):  {counts[(int)AnswerKind.Refused]:N0}");
Console.WriteLine($"answers outside the envelope:  {outsideEnvelope:N0}");
Console.WriteLine($"5xx:                           {fivexx:N0}");
Console.WriteLine($"hangs (> {timeout.TotalSeconds:N0} s):                 {hangs:N0}");
Console.WriteLine($"secrets sent back:             {secrets:N0}");
if (serverPid is not null)
{
    Console.WriteLine($"server RSS MiB start/end/max:  {sampled[0] / 1024.0:N1} / {sampled[^1] / 1024.0:N1} / {sampled.Max() / 1024.0:N1}");
}

return counts[(int)AnswerKind.Violation] == 0 ? 0 : 1;
