using System.Collections.Concurrent;
using System.Text.Json;

namespace ZoomChat.Tests.Client;

/// <summary>
/// Records each answer's v1 error code (0 for a success), so that a test can show that the rate limit or
/// an expired page token really happened on the way, rather than trusting that it did.
/// </summary>
internal sealed class RecordingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private readonly ConcurrentQueue<int> _codes = new();
    private readonly TaskCompletionSource _rateLimited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<int> Codes => [.. _codes];

    public int Count(int code) => _codes.Count(c => c == code);

    /// <summary>Completes when the first rate-limit error has been answered.</summary>
    public Task RateLimited => _rateLimited.Task;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        using var body = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
        var code = body.RootElement.TryGetProperty("error", out var error) ? error.GetProperty("code").GetInt32() : 0;
        _codes.Enqueue(code);
        if (code == 403)
        {
            _rateLimited.TrySetResult();
        }

        return response;
    }
}
