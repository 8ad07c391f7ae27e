namespace ZoomChat.Server.Paging;

/// <summary>
/// The query a page token is bound to (docs/api.md#paging-and-page-tokens): the endpoint, the account, the
/// expanded bounds, the lower-cased e-mail or the session, and the served page size. Not data_type.
/// </summary>
internal sealed record PageQuery(string Endpoint, long AccountId, long FromMs, long ToMs, string Filter, int PageSize)
{
    public byte[] ToAssociatedData() =>
        System.Text.Encoding.UTF8.GetBytes(string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"zoomchat-page-token/1\n{Endpoint}\n{AccountId}\n{FromMs}\n{ToMs}\n{PageSize}\n{Filter}"));
}
