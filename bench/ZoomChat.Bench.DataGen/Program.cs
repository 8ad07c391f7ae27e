using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ZoomChat.Bench.DataGen;

// Writes a deterministic chat archive in the interchange format for the benchmarks (docs/benchmarks.md#what-runs).
var messages = new Option<long>("--messages") { Description = "Number of messages (lines)", DefaultValueFactory = _ => 1_000_000 };
var seed = new Option<ulong>("--seed") { Description = "Seed: the same seed, count and accounts give the same bytes", DefaultValueFactory = _ => 1 };
var accounts = new Option<int>("--accounts") { Description = "Number of accounts", DefaultValueFactory = _ => 3 };
var output = new Option<string>("--output") { Description = "File to write (- for standard output)", DefaultValueFactory = _ => "-" };
var meta = new Option<string?>("--meta") { Description = "Where to write the sidecar (default: FILE.meta.json; none for standard output)" };
var root = new RootCommand("Generates a realistic, seeded ZoomChat archive as NDJSON (docs/import-formats.md#the-interchange-format).")
{
    messages, seed, accounts, output, meta,
};
root.SetAction(parsed =>
{
    var settings = new GeneratorSettings(parsed.GetValue(messages), parsed.GetValue(seed), parsed.GetValue(accounts));
    if (settings.Messages < 1 || settings.Accounts is < 1 or > 64 || settings.Messages < settings.Accounts)
    {
        Console.Error.WriteLine("datagen: --messages must be at least 1 and at least --accounts; --accounts from 1 to 64.");
        return 2;
    }

    var path = parsed.GetValue(output)!;
    var toFile = path != "-";
    var metaPath = parsed.GetValue(meta) ?? (toFile ? path + ".meta.json" : null);

    var clock = Stopwatch.StartNew();
    var plan = ArchivePlan.Create(settings);
    var planned = clock.Elapsed;
    var writer = new NdjsonArchiveWriter(plan);
    if (toFile)
    {
        // Written beside the target and moved over it: a file at the final path is always complete.
        var partial = path + ".partial";
        using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            writer.Write(file);
        }

        File.Move(partial, path, overwrite: true);
    }
    else
    {
        using var stdout = Console.OpenStandardOutput();
        writer.Write(stdout);
    }

    var elapsed = clock.Elapsed;
    // CPU time too: on a shared machine the wall clock also measures the neighbours.
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    if (metaPath is not null)
    {
        SidecarWriter.Write(metaPath, plan, writer, toFile ? path : null, elapsed, cpu);
    }

    Console.Error.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"datagen: {settings.Messages:N0} lines, {writer.BytesWritten / 1e6:N1} MB, {plan.SessionCount:N0} sessions in {settings.Accounts} accounts; " +
        $"{elapsed.TotalSeconds:N2} s (plan {planned.TotalSeconds:N2} s): {settings.Messages / elapsed.TotalSeconds:N0} lines/s, " +
        $"{writer.BytesWritten / 1e6 / elapsed.TotalSeconds:N0} MB/s; {cpu.TotalSeconds:N2} CPU s"));
    return 0;
});

return root.Parse(args).Invoke();
