namespace ZoomChat.Server.Search;

/// <summary>A search that cannot be read, in one line that says what is wrong and where (docs/search.md#errors).</summary>
internal sealed class SearchQueryException(string message) : Exception(message);
