namespace ZoomChat.Tests.Client;

/// <summary>
/// Sends through another HttpClient: here <see cref="Support.TestArchive.Http"/>, so that a client built
/// with its own HttpClient (or by IHttpClientFactory) reaches the in-process server. The request is copied,
/// since an HttpClient sends a request message only once.
/// </summary>
internal sealed class ForwardingHandler(HttpClient target) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version };
        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (request.Content is { } content)
        {
            copy.Content = new ByteArrayContent(await content.ReadAsByteArrayAsync(cancellationToken));
            foreach (var header in content.Headers)
            {
                copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        return await target.SendAsync(copy, cancellationToken);
    }
}
