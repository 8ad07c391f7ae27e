using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Chat;

public sealed class ChatListTests
{
    [StoreFact]
    public async Task List_returns_sessions_with_a_message_in_the_range_latest_first()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("design", "2016-01-18T06:40:56Z", "hello", "ann@acme.com", groupName: "Design"),
            Lines.Message("dm", "2016-01-19T10:00:00Z", "hi", "bob@acme.com", type: "1:1", participants: ["bob@acme.com", "ann@acme.com"]),
            Lines.Message("old", "2015-12-01T10:00:00Z", "too early", "ann@acme.com"));

        var body = await archive.PostJsonAsync("/v1/chat/list", acme.With(("from", "2016-01-16"), ("to", "2016-01-22")));

        Assert.Equal(
            """{"from":"2016-01-16T00:00:00.000Z","to":"2016-01-22T00:00:00.000Z","page_size":30,"page_count":1,"next_page_token":"","chat_list":[{"session_id":"dm","type":"1:1","participants":"ann@acme.com,bob@acme.com","group_name":"","last_message_send_time":"2016-01-19T10:00:00.000Z"},{"session_id":"design","type":"Group","participants":"","group_name":"Design","last_message_send_time":"2016-01-18T06:40:56.000Z"}]}""",
            body.GetRawText());
    }
}
