using ZoomChat.Server.Storage.Postgres;

namespace ZoomChat.Tests.Search;

/// <summary>The tsvector text the PostgreSQL store indexes a message by, within the type's limits.</summary>
public sealed class PostgresSearchWordsTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("b a b", "'b':1,3 'a':2")]
    [InlineData("It's ÉTÉ, x²!", "'it':1 's':2 'ete':3 'x²':4")]
    [InlineData("e\u0301te\u0301 𝒜", "'ete':1 '𝒜':2")]
    public void A_vector_lists_each_word_once_with_its_positions_in_order(string text, string vector) =>
        Assert.Equal(vector, PostgresSearchWords.Vector(text));

    [Fact]
    public void A_word_too_long_for_a_lexeme_is_left_out_but_keeps_its_position()
    {
        var tooLong = new string('a', PostgresSearchWords.MaxWordBytes + 1);
        var longest = new string('b', PostgresSearchWords.MaxWordBytes);

        Assert.Equal($"'{longest}':2 'c':3", PostgresSearchWords.Vector($"{tooLong} {longest} c"));
    }

    [Fact]
    public void Positions_stop_at_the_types_limits()
    {
        var repeated = string.Join(' ', Enumerable.Repeat("w", PostgresSearchWords.MaxPositionsPerWord + 10));
        var late = string.Join(' ', Enumerable.Repeat("x", PostgresSearchWords.MaxPosition)) + " y z y";

        Assert.Equal("'w':" + string.Join(',', Enumerable.Range(1, PostgresSearchWords.MaxPositionsPerWord)), PostgresSearchWords.Vector(repeated));
        Assert.EndsWith($" 'y':{PostgresSearchWords.MaxPosition} 'z':{PostgresSearchWords.MaxPosition}", PostgresSearchWords.Vector(late));
    }

    [Fact]
    public void A_message_after_a_longer_one_on_the_same_thread_has_only_its_own_words()
    {
        var many = string.Join(' ', Enumerable.Range(0, 10_000).Select(i => $"w{i}"));

        Assert.Equal("'a':1,2 'b':3", PostgresSearchWords.Vector("a a b"));
        Assert.StartsWith("'w0':1 'w1':2 ", PostgresSearchWords.Vector(many));
        Assert.Equal("'b':1 'a':2", PostgresSearchWords.Vector("b a"));
        Assert.Equal("'c':1", PostgresSearchWords.Vector("c"));
    }
}
