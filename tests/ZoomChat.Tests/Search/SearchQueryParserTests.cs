using ZoomChat.Server.Search;
using ZoomChat.Server.Storage;
using ZoomChat.Server.Storage.Sqlite;

namespace ZoomChat.Tests.Search;

public sealed class SearchQueryParserTests
{
    [Fact]
    public void Words_are_each_a_phrase_to_find()
    {
        var query = SearchQueryParser.Parse("  deploy   Friday ");
        Assert.Equal(["deploy", "Friday"], query.Phrases);
        Assert.Empty(query.ExcludedPhrases);
        Assert.Equal(new SearchQuery(query.Phrases, query.ExcludedPhrases), query);
    }

    [Fact]
    public void A_quoted_phrase_is_kept_whole_with_its_spaces_folded()
    {
        var query = SearchQueryParser.Parse("release \"ship  it now\" -\"not yet\" -friday");
        Assert.Equal(["release", "ship it now"], query.Phrases);
        Assert.Equal(["not yet", "friday"], query.ExcludedPhrases);
    }

    [Fact]
    public void Filters_are_read_with_dates_as_chat_list_reads_from_and_to()
    {
        var query = SearchQueryParser.Parse("deploy FROM:Ana@Example.com in:\"abc 123\" after:2016-01-22 before:2016-01-23");
        Assert.Equal(["deploy"], query.Phrases);
        Assert.Equal("ana@example.com", query.Sender);
        Assert.Equal("abc 123", query.SessionId);
        Assert.Equal(DateTimeOffset.Parse("2016-01-22T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), query.FromMs);
        // A day alone as before: includes that whole day, as to= does (docs/api.md#the-window).
        Assert.Equal(DateTimeOffset.Parse("2016-01-23T23:59:59.999Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), query.ToMs);

        var instants = SearchQueryParser.Parse("x after:2016-01-22T08:00+02:00 before:2016-01-22T09:00:00.5Z");
        Assert.Equal(DateTimeOffset.Parse("2016-01-22T06:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), instants.FromMs);
        Assert.Equal(DateTimeOffset.Parse("2016-01-22T09:00:00.5Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), instants.ToMs);
    }

    [Fact]
    public void An_unknown_key_before_a_colon_is_text_to_find()
    {
        var query = SearchQueryParser.Parse("https://example.com note:");
        Assert.Equal(["https://example.com", "note:"], query.Phrases);
    }

    [Fact]
    public void Terms_without_a_letter_or_digit_are_left_out()
    {
        var query = SearchQueryParser.Parse("deploy - !!! \"...\" -?? 😀");
        Assert.Equal(["deploy"], query.Phrases);
        Assert.Empty(query.ExcludedPhrases);
    }

    [Theory]
    [InlineData("", "Nothing to look for")]
    [InlineData("   ", "Nothing to look for")]
    [InlineData("-friday from:ana@example.com", "Nothing to look for")]
    [InlineData("deploy \"ship it", "The quote at character 8 is never closed")]
    [InlineData("deploy -from:ana@example.com", "A filter cannot be excluded: '-from:ana@example.com'")]
    [InlineData("deploy from:", "from: needs a value: from:ana@example.com")]
    [InlineData("deploy in:\"\"", "in: needs a value")]
    [InlineData("deploy after:yesterday", "after: takes yyyy-MM-dd or an ISO 8601 date-time (docs/api.md#dates), not 'yesterday'")]
    [InlineData("deploy before:2016-02-30", "before: takes yyyy-MM-dd")]
    [InlineData("deploy before:2016-01-22T24:00", "before: takes yyyy-MM-dd")]
    [InlineData("deploy in:a in:b", "in: is given twice")]
    [InlineData("deploy after:2016-01-23 before:2016-01-22", "after:2016-01-23 is later than before:2016-01-22")]
    public void A_query_that_cannot_be_read_gets_one_line_saying_why(string text, string expected)
    {
        var error = Assert.Throws<SearchQueryException>(() => SearchQueryParser.Parse(text));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void The_match_expression_quotes_every_phrase_so_that_fts5_operators_are_words()
    {
        var query = SearchQueryParser.Parse("NEAR(a b) OR say\"hi\" -NOT -\"x AND y\" col:* ^start");
        Assert.Equal(
            "account : \"7\" body : \"NEAR(a\" body : \"b)\" body : \"OR\" body : \"say\" body : \"hi\" body : \"col:*\" body : \"^start\" NOT body : \"NOT\" NOT body : \"x AND y\"",
            SqliteSearch.MatchExpression(7, query));
        Assert.Equal("account : \"1\" body : \"a \"\"b\"", SqliteSearch.MatchExpression(1, new SearchQuery(["a \"b"], [])));
    }

    [Fact]
    public void A_cursor_round_trips_through_its_opaque_text_and_nothing_else_reads_as_one()
    {
        var cursor = new SearchCursor(-62_135_596_800_000, long.MaxValue);
        Assert.True(SearchCursor.TryParse(cursor.ToString(), out var read));
        Assert.Equal(cursor, read);
        Assert.False(SearchCursor.TryParse("not a cursor", out _));
        Assert.False(SearchCursor.TryParse(null, out _));
        Assert.False(SearchCursor.TryParse(cursor.ToString()[..^1] + "!", out _));
    }
}
