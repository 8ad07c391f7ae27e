namespace ZoomChat.Server.Storage;

/// <summary>
/// Full-text search over one account's archived messages (docs/search.md). Kept apart from
/// <see cref="IArchiveStore"/> so that each backend adds it with its own index (SQLite: FTS5).
/// The query arrives parsed (<see cref="SearchQuery"/>, from <c>ZoomChat.Server.Search.SearchQueryParser</c>):
/// no user text ever reaches the backend's query language unquoted.
/// </summary>
internal interface IArchiveSearch
{
    /// <summary>
    /// Up to <paramref name="limit"/> messages of the account that match <paramref name="query"/>, newest
    /// first: by date_time descending, then by arrival descending (docs/search.md#ranking-and-paging).
    /// </summary>
    /// <param name="accountId">The account searched; no other account's message is ever returned.</param>
    /// <param name="query">What to look for, with its filters; at least one phrase to include.</param>
    /// <param name="after">Where the page starts: <see cref="SearchPage.Next"/> of the page before, or null for the first.</param>
    /// <param name="limit">The most hits on the page, 1 or more.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>The page, and the cursor of the next one (null when this page is the last).</returns>
    Task<SearchPage> SearchAsync(long accountId, SearchQuery query, SearchCursor? after, int limit, CancellationToken cancellationToken);
}
