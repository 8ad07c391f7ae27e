using Microsoft.AspNetCore.Http;
using ZoomChat.Server.Interchange.Formats;

namespace ZoomChat.Server.Chat;

/// <summary>
/// A request body as the form reader sees it: a 413 once more than <paramref name="limit"/> bytes have
/// come, whether or not the request declared its length. The server's own limit is higher, so that the
/// rest of a refused body is read and discarded after the answer instead of being reset
/// (docs/operations.md#limits).
/// </summary>
internal sealed class BoundedRequestBody(Stream body, long limit) : ReadOnlyWrapperStream(body)
{
    private long _read;

    public override int Read(Span<byte> buffer) => Counted(Inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Counted(await Inner.ReadAsync(buffer, cancellationToken));

    private int Counted(int read)
    {
        _read += read;
        if (_read > limit)
        {
            throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
        }

        return read;
    }
}
