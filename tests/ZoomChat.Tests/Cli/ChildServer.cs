using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace ZoomChat.Tests.Cli;

/// <summary>
/// A real <c>zoomchat serve</c> child process on a free loopback port, ready once <c>/healthz</c>
/// answers: a server process of its own, with its own memory, as an operator runs several of them on one
/// database. Disposing it kills the process.
/// </summary>
internal sealed class ChildServer : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly Task<string> _output;
    private readonly Task<string> _error;

    private ChildServer(Process process, Task<string> output, Task<string> error, Uri address)
    {
        _process = process;
        _output = output;
        _error = error;
        Http = new HttpClient { BaseAddress = address };
    }

    public HttpClient Http { get; }

    /// <summary>
    /// Starts <c>zoomchat serve --store STORE --urls http://127.0.0.1:PORT ARGS</c> in <paramref name="workingDirectory"/>
    /// (whose appsettings.json, if any, it reads) and waits until it answers.
    /// </summary>
    public static async Task<ChildServer> StartAsync(string workingDirectory, string store, params string[] args)
    {
        using var timeout = new CancellationTokenSource(StartLimit);
        for (var attempt = 1; ; attempt++)
        {
            var address = new Uri($"http://127.0.0.1:{FreePort()}");
            var (process, output, error) = ZoomchatProcess.StartReading(
                workingDirectory, ["serve", "--store", store, "--urls", address.ToString().TrimEnd('/'), .. args]);
            var server = new ChildServer(process, output, error, address);
            if (await server.ReadyAsync(timeout.Token))
            {
                return server;
            }

            var said = await error;
            await server.DisposeAsync();
            // The free port was taken by someone else between finding it and listening on it: another one.
            if (attempt == 3 || !said.Contains("the port is in use", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"zoomchat serve did not start: {said}");
            }
        }
    }

    /// <summary>POSTs form fields to the API and returns the JSON answer.</summary>
    public async Task<JsonElement> PostAsync(string path, IEnumerable<KeyValuePair<string, string>> form)
    {
        using var response = await Http.PostAsync(path, new FormUrlEncodedContent(form));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        await Task.WhenAll(_output, _error);
        _process.Dispose();
    }

    private async Task<bool> ReadyAsync(CancellationToken cancellationToken)
    {
        while (!_process.HasExited)
        {
            try
            {
                using var health = await Http.GetAsync("/healthz", cancellationToken);
                if (health.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(20, cancellationToken);
        }

        return false;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
