using System.Diagnostics;
using System.Text;

namespace ZoomChat.Tests.Cli;

/// <summary>
/// The built <c>zoomchat</c> executable run as a child process, for what only a real process has:
/// its own standard input and output (<c>import -</c>, <c>export</c> without <c>--output</c>).
/// </summary>
internal static class ZoomchatProcess
{
    public static Task<CliResult> RunAsync(string workingDirectory, byte[] standardInput, params string[] args) =>
        RunAsync(workingDirectory, standardInput, new Dictionary<string, string>(), args);

    /// <summary>Runs <c>zoomchat ARGS</c> in <paramref name="workingDirectory"/> with these environment variables set as well.</summary>
    public static async Task<CliResult> RunAsync(
        string workingDirectory, byte[] standardInput, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = StartInfo(workingDirectory, args);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardInput.BaseStream.WriteAsync(standardInput, timeout.Token);
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CliResult(process.ExitCode, await output, await error);
    }

    /// <summary>
    /// Runs <c>zoomchat FROM | zoomchat TO</c> as a shell's pipe would: the first's standard output goes
    /// into the second's standard input as it comes. The first's result has no output (it went on).
    /// </summary>
    public static async Task<(CliResult From, CliResult To)> PipeAsync(string workingDirectory, string[] from, string[] to)
    {
        using var first = Process.Start(StartInfo(workingDirectory, from)) ?? throw new InvalidOperationException("dotnet did not start");
        using var second = Process.Start(StartInfo(workingDirectory, to)) ?? throw new InvalidOperationException("dotnet did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        first.StandardInput.Close();
        var firstError = first.StandardError.ReadToEndAsync(timeout.Token);
        var secondOutput = second.StandardOutput.ReadToEndAsync(timeout.Token);
        var secondError = second.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await first.StandardOutput.BaseStream.CopyToAsync(second.StandardInput.BaseStream, timeout.Token);
            second.StandardInput.Close();
            await Task.WhenAll(first.WaitForExitAsync(timeout.Token), second.WaitForExitAsync(timeout.Token));
        }
        catch (OperationCanceledException)
        {
            first.Kill(entireProcessTree: true);
            second.Kill(entireProcessTree: true);
            throw;
        }

        return (new CliResult(first.ExitCode, string.Empty, await firstError), new CliResult(second.ExitCode, await secondOutput, await secondError));
    }

    /// <summary>
    /// Starts <c>zoomchat ARGS</c> with empty standard input and its output drained in the background,
    /// for a test that stops it itself (<see cref="Process.Kill(bool)"/>).
    /// </summary>
    public static Process Start(string workingDirectory, params string[] args)
    {
        var process = Process.Start(StartInfo(workingDirectory, args)) ?? throw new InvalidOperationException("dotnet did not start");
        process.StandardInput.Close();
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    /// <summary>
    /// Starts <c>zoomchat ARGS</c> with its standard input left open for the test to write, and its
    /// output drained in the background: the child waits for more input until it is stopped.
    /// </summary>
    public static Process StartWithInput(string workingDirectory, params string[] args)
    {
        var process = Process.Start(StartInfo(workingDirectory, args)) ?? throw new InvalidOperationException("dotnet did not start");
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    /// <summary>
    /// Starts <c>zoomchat ARGS</c> with empty standard input, reading its output and error in the
    /// background, for a test that signals it and then looks at what it said.
    /// </summary>
    public static (Process Process, Task<string> Output, Task<string> Error) StartReading(string workingDirectory, params string[] args)
    {
        var process = Process.Start(StartInfo(workingDirectory, args)) ?? throw new InvalidOperationException("dotnet did not start");
        process.StandardInput.Close();
        return (process, process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
    }

    /// <summary>
    /// Starts <c>zoomchat ARGS</c> with its standard input left open for the test to write, reading its output and
    /// error in the background, for a test that signals it and then looks at what it said.
    /// </summary>
    public static (Process Process, Task<string> Output, Task<string> Error) StartReadingWithInput(string workingDirectory, params string[] args)
    {
        // A test run that a shell without job control started in the background ignores SIGINT, its children
        // inherit that (POSIX XCU 2.11), and .NET keeps it: GNU env gives the child SIGINT's default action back,
        // so that it sees the test's Ctrl+C as a user's would. env execs zoomchat, so the PID is the same.
        var start = StartInfo(workingDirectory, args);
        start.ArgumentList.Insert(0, start.FileName);
        start.ArgumentList.Insert(0, "--default-signal=INT");
        start.FileName = "env";
        var process = Process.Start(start) ?? throw new InvalidOperationException("env did not start");
        return (process, process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
    }

    private static ProcessStartInfo StartInfo(string workingDirectory, string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        start.ArgumentList.Add(Executable());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Nothing from the test run's environment may pick another store or settings.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("ZoomChat__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        return start;
    }

    /// <summary>zoomchat.dll: beside the tests (the project reference copies it), else in the CLI project's own output.</summary>
    private static string Executable()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "zoomchat.dll");
        if (File.Exists(beside))
        {
            return beside;
        }

        // tests/ZoomChat.Tests/bin/<Configuration>/net10.0/ → src/ZoomChat.Cli/bin/<Configuration>/net10.0/
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        var configuration = framework.Parent!;
        var repository = configuration.Parent!.Parent!.Parent!.Parent!;
        var built = Path.Combine(repository.FullName, "src", "ZoomChat.Cli", "bin", configuration.Name, framework.Name, "zoomchat.dll");
        return File.Exists(built) ? built : throw new FileNotFoundException("zoomchat.dll is not built", built);
    }

    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host)
        {
            return host;
        }

        return Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
    }
}
