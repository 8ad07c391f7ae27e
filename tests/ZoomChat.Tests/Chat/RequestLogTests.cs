using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ZoomChat.Server.Hosting;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Chat;

public sealed class RequestLogTests
{
    [StoreFact]
    public async Task Each_request_logs_one_line_with_status_error_code_and_duration_and_never_a_credential()
    {
        using var folder = new TempFolder();
        var logs = new CapturingLoggerProvider();
        await using (var setup = await TestArchive.StartAsync(folder: folder))
        {
            var acme = await setup.CreateAccountAsync("acme");
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
            builder.WebHost.UseTestServer();
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            await using var app = await ZoomChatServer.BuildAsync(builder, options =>
            {
                options.Store = setup.StorePath;
                options.RateLimits = false;
            });
            await app.StartAsync();
            using var http = app.GetTestClient();

            // Credentials in the query string, as Zoom v1 clients sent them, and in the body.
            var query = $"?api_key={acme.ApiKey}&api_secret={acme.ApiSecret}&access_token={acme.AccessToken}&from=2016-01-16&to=2016-01-22";
            using (await http.PostAsync("/v1/chat/list" + query, content: null))
            {
            }

            using (await http.PostAsync("/v1/chat/get", new FormUrlEncodedContent(acme.With(("from", "2016-01-16")))))
            {
            }

            var secrets = new[] { acme.ApiSecret, acme.AccessToken, acme.ApiKey };
            Assert.DoesNotContain(logs.Entries, entry => secrets.Any(secret => entry.Contains(secret, StringComparison.Ordinal)));

            var requests = logs.Entries.Where(entry => entry.StartsWith("ZoomChat.Requests:", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, requests.Count);
            Assert.Matches(@"^ZoomChat\.Requests: POST /v1/chat/list 200 error=0 \d+\.\d ms$", requests[0]);
            Assert.Matches(@"^ZoomChat\.Requests: POST /v1/chat/get 200 error=300 \d+\.\d ms$", requests[1]);
        }
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Queue { get; } = new();

        public IReadOnlyList<string> Entries => [.. Queue];

        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, Queue);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> queue) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            queue.Enqueue($"{category}: {formatter(state, exception)}{(exception is null ? string.Empty : " " + exception)}");
    }
}
