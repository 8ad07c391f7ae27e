using ZoomChat.Server.Interchange;

namespace ZoomChat.Tests.Interchange;

public sealed class RepeatedStringsTests
{
    [Fact]
    public void A_repeated_string_is_the_same_instance_and_every_string_keeps_its_value_past_the_bound()
    {
        var repeated = new RepeatedStrings();
        var first = repeated.Get("ann@acme.com".AsSpan());

        Assert.Same(first, repeated.Get("ann@acme.com".ToCharArray()));
        for (var i = 0; i < (RepeatedStrings.MaxCount * 2) + 1; i++)
        {
            Assert.Equal($"user-{i}@acme.com", repeated.Get($"user-{i}@acme.com".AsSpan()));
        }

        Assert.Equal("ann@acme.com", repeated.Get("ann@acme.com".AsSpan()));
    }

    [Fact]
    public void A_list_is_shared_by_equal_lists_and_kept_apart_from_the_list_it_was_made_from()
    {
        var repeated = new RepeatedStrings();
        var gathered = repeated.Gathered;
        gathered.AddRange(["ann@acme.com", "bob@acme.com"]);
        var first = repeated.Get(gathered);

        gathered.Clear();
        gathered.AddRange(["ann@acme.com", "bob@acme.com"]);
        var second = repeated.Get(gathered);
        gathered.Reverse();
        var reversed = repeated.Get(gathered);
        gathered.Clear();

        Assert.Same(first, second);
        Assert.Equal(["ann@acme.com", "bob@acme.com"], first);
        Assert.Equal(["bob@acme.com", "ann@acme.com"], reversed);
        Assert.Empty(repeated.Get(gathered));
    }
}
