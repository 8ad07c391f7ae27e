using System.Net;
using ZoomChat.Server.Hosting;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Chat;

/// <summary>
/// Zoom v1's rate limits (docs/api.md#rate-limits): per API key token buckets, 1 request/second on
/// <c>/v1/chat/*</c>, 10 on everything, 2000 <c>chat/list</c> calls per UTC day; Retry-After in
/// whole seconds; what counts and what does not; limits shared by every server process on a store.
/// </summary>
public sealed class RateLimitTests
{
    private const string List = "/v1/chat/list";
    private const string Get = "/v1/chat/get";
    private const string Limited = "Sorry, the maximum number of api requests are already reached. Please try later.";

    private const string EmptyList =
        """{"from":"2016-01-16T00:00:00.000Z","to":"2016-01-22T00:00:00.000Z","page_size":30,"page_count":0,"next_page_token":"","chat_list":[]}""";

    [StoreFact]
    public async Task Limits_are_on_by_default_with_zoom_v1_values()
    {
        var options = new ZoomChatOptions();

        Assert.True(options.RateLimits);
        Assert.Equal(10, options.RequestsPerSecond);
        Assert.Equal(1, options.ChatRequestsPerSecond);
        Assert.Equal(2000, options.ChatListRequestsPerDay);

        // The harness turns them off; a server built with the defaults limits the second request of a second.
        await using var archive = await TestArchive.StartAsync(o => o.RateLimits = new ZoomChatOptions().RateLimits);
        var acme = await archive.CreateAccountAsync("acme");
        Assert.Equal(HttpStatusCode.OK, (await archive.PostFormAsync(List, Form(acme))).Status);
        (await archive.PostFormAsync(List, Form(acme))).AssertError(HttpStatusCode.OK, 403, Limited);
    }

    [StoreFact]
    public async Task Second_chat_request_in_a_second_returns_403_with_http_200_in_zoom_mode()
    {
        await using var archive = await TestArchive.StartAsync(o => o.RateLimits = true);
        var acme = await archive.CreateAccountAsync("acme");

        var first = await archive.PostFormAsync(List, Form(acme));
        var second = await archive.PostFormAsync(List, Form(acme));

        first.AssertJson(HttpStatusCode.OK, EmptyList);
        Assert.Null(first.Header("Retry-After"));
        second.AssertError(HttpStatusCode.OK, 403, Limited);
        Assert.Equal("1", second.Header("Retry-After"));
    }

    [StoreFact]
    public async Task Second_chat_request_in_a_second_returns_http_429_in_http_mode()
    {
        await using var archive = await TestArchive.StartAsync(o =>
        {
            o.RateLimits = true;
            o.ErrorStatus = ErrorStatusMode.Http;
        });
        var acme = await archive.CreateAccountAsync("acme");

        await archive.PostFormAsync(Get, Form(acme, ("session_id", "s")));
        var second = await archive.PostFormAsync(Get, Form(acme, ("session_id", "s")));

        second.AssertError(HttpStatusCode.TooManyRequests, 403, Limited);
        Assert.Equal("1", second.Header("Retry-After"));
    }

    [StoreFact]
    public async Task A_request_is_answered_while_an_import_holds_the_store_write_lock()
    {
        await using var archive = await TestArchive.StartAsync(o => o.RateLimits = true);
        var acme = await archive.CreateAccountAsync("acme");

        // What an import's batch does: a write transaction on the store, held until the batch commits.
        // On PostgreSQL, an import also holds the writers' advisory lock (docs/operations.md#snapshots-on-postgresql).
        await using var import = await StoreSql.OpenAsync(archive.StorePath);
        await using var batch = await import.BeginTransactionAsync();
        await using (var write = import.CreateCommand())
        {
            write.CommandText = TestStores.Current == StoreKind.Postgres
                ? $"SELECT pg_advisory_xact_lock({Server.Storage.Postgres.PostgresArchiveStore.WriterLock}); INSERT INTO accounts (name, created_ms) VALUES ('importing', 0);"
                : "INSERT INTO accounts (name, created_ms) VALUES ('importing', 0);";
            await write.ExecuteNonQueryAsync();
        }

        // The store's busy timeout is 30 s: a request that waited for the batch would not be answered in 10.
        var answer = archive.PostFormAsync(List, Form(acme));
        Assert.Same(answer, await Task.WhenAny(answer, Task.Delay(TimeSpan.FromSeconds(10))));
        (await answer).AssertJson(HttpStatusCode.OK, EmptyList);
        (await archive.PostFormAsync(List, Form(acme))).AssertError(HttpStatusCode.OK, 403, Limited);
    }

    [StoreFact]
    public async Task Chat_list_and_chat_get_share_the_per_second_limit()
    {
        await using var archive = await TestArchive.StartAsync(o => o.RateLimits = true);
        var acme = await archive.CreateAccountAsync("acme");

        await archive.PostFormAsync(List, Form(acme));
        var get = await archive.PostFormAsync(Get, Form(acme, ("session_id", "s")));

        get.AssertError(HttpStatusCode.OK, 403, Limited);
    }

    [StoreFact]
    public async Task Bucket_refills_after_one_second_and_not_before()
    {
        await using var archive = await TestArchive.StartAsync(o => o.RateLimits = true);
        var acme = await archive.CreateAccountAsync("acme");
        await archive.PostFormAsync(List, Form(acme));

        archive.Time.Advance(TimeSpan.FromMilliseconds(999));
        var early = await archive.PostFormAsync(List, Form(acme));
        archive.Time.Advance(TimeSpan.FromMilliseconds(1));
        var onTime = await archive.PostFormAsync(List, Form(acme));

        early.AssertError(HttpStatusCode.OK, 403, Limited);
        Assert.Equal("1", early.Header("Retry-After"));
        onTime.AssertJson(HttpStatusCode.OK, EmptyList);
    }

    [StoreFact]
    public async Task Burst_is_the_per_second_limit_and_tokens_refill_evenly()
    {
        await using var archive = await TestArchive.StartAsync(o =>
        {
            o.RateLimits = true;
            o.ChatRequestsPerSecond = 4;
        });
        var acme = await archive.CreateAccountAsync("acme");

        var burst = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            burst.Add((await archive.PostFormAsync(List, Form(acme))).Status);
        }

        var fifth = await archive.PostFormAsync(List, Form(acme));
        archive.Time.Advance(TimeSpan.FromMilliseconds(250));
        var afterAQuarter = await archive.PostFormAsync(List, Form(acme));
        var againTooSoon = await archive.PostFormAsync(List, Form(acme));

        Assert.All(burst, status => Assert.Equal(HttpStatusCode.OK, status));
        fifth.AssertError(HttpStatusCode.OK, 403, Limited);
        afterAQuarter.AssertJson(HttpStatusCode.OK, EmptyList);
        againTooSoon.AssertError(HttpStatusCode.OK, 403, Limited);
        Assert.Equal("1", againTooSoon.Header("Retry-After"));
    }

    [StoreFact]
    public async Task Limit_on_all_endpoints_applies_when_it_is_the_lower_one()
    {
        await using var archive = await TestArchive.StartAsync(o =>
        {
            o.RateLimits = true;
            o.RequestsPerSecond = 2;
            o.ChatRequestsPerSecond = 100;
        });
        var acme = await archive.CreateAccountAsync("acme");

        var first = await archive.PostFormAsync(List, Form(acme));
        var second = await archive.PostFormAsync(Get, Form(acme, ("session_id", "s")));
        var third = await archive.PostFormAsync(List, Form(acme));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        second.AssertError(HttpStatusCode.OK, 3001, "Chat session not found: s.");
        third.AssertError(HttpStatusCode.OK, 403, Limited);
    }

    [StoreFact]
    public async Task Requests_refused_for_their_credentials_do_not_count()
    {
        await using var archive = await TestArchive.StartAsync(o => o.RateLimits = true);
        var acme = await archive.CreateAccountAsync("acme");

        for (var i = 0; i < 5; i++)
        {
            (await archive.PostFormAsync(List, Form(acme with { ApiSecret = "wrong" }))).AssertError(HttpStatusCode.OK, 102, "You app key and secret doesn't match.");
            (await archive.PostFormAsync(List, Form(acme).Where(f => f.Key != "api_secret"))).AssertError(HttpStatusCode.OK, 300, "Api key and secret are required.");
            (await archive.PostFormAsync(List, Form(acme, ("data_type", "CSV")))).AssertError(HttpStatusCode.OK, 300, "data_type must be JSON or XML.");
            (await archive.PostFormAsync(List, Form(acme, ("page_size", "1"), ("page_size", "2")))).AssertError(HttpStatusCode.OK, 300, "page_size is given more than once.");
        }

        var valid = await archive.PostFormAsync(List, Form(acme));

        valid.AssertJson(HttpStatusCode.OK, EmptyList);
    }

    [StoreFact]
    public async Task Requests_refused_by_the_limiter_do_not_count()
    {
        await using var archive = await TestArchive.StartAsync(o => o.RateLimits = true);
        var acme = await archive.CreateAccountAsync("acme");
        await archive.PostFormAsync(List, Form(acme));

        for (var i = 0; i < 5; i++)
        {
            archive.Time.Advance(TimeSpan.FromMilliseconds(100));
            (await archive.PostFormAsync(List, Form(acme))).AssertError(HttpStatusCode.OK, 403, Limited);
        }

        archive.Time.Advance(TimeSpan.FromMilliseconds(500));
        var afterOneSecond = await archive.PostFormAsync(List, Form(acme));

        afterOneSecond.AssertJson(HttpStatusCode.OK, EmptyList);
    }

    [StoreFact]
    public async Task Request_that_passes_the_limiter_counts_even_when_it_then_fails()
    {
        await using var archive = await TestArchive.StartAsync(o => o.RateLimits = true);
        var acme = await archive.CreateAccountAsync("acme");

        var missingFrom = await archive.PostFormAsync(List, acme.With(("to", "2016-01-22")));
        var next = await archive.PostFormAsync(List, Form(acme));

        missingFrom.AssertError(HttpStatusCode.OK, 300, "from is required.");
        next.AssertError(HttpStatusCode.OK, 403, Limited);
    }

    [StoreFact]
    public async Task Limits_are_per_key_even_within_one_account()
    {
        await using var archive = await TestArchive.StartAsync(o => o.RateLimits = true);
        var acme = await archive.CreateAccountAsync("acme");
        var (otherKey, otherSecret) = await archive.Administration.CreateApiKeyAsync("acme", CancellationToken.None);
        var globex = await archive.CreateAccountAsync("globex", viewer: "boss@globex.com");
        await archive.PostFormAsync(List, Form(acme));

        var sameKey = await archive.PostFormAsync(List, Form(acme));
        var otherKeyOfAcme = await archive.PostFormAsync(List, Form(acme with { ApiKey = otherKey, ApiSecret = otherSecret }));
        var keyOfGlobex = await archive.PostFormAsync(List, Form(globex));
        var otherKeyAgain = await archive.PostFormAsync(List, Form(acme with { ApiKey = otherKey, ApiSecret = otherSecret }));

        sameKey.AssertError(HttpStatusCode.OK, 403, Limited);
        otherKeyOfAcme.AssertJson(HttpStatusCode.OK, EmptyList);
        keyOfGlobex.AssertJson(HttpStatusCode.OK, EmptyList);
        otherKeyAgain.AssertError(HttpStatusCode.OK, 403, Limited);
    }

    [StoreFact]
    public async Task Per_second_limit_holds_across_a_second_server_process()
    {
        await using var archive = await TestArchive.StartAsync(o => o.RateLimits = true);
        var acme = await archive.CreateAccountAsync("acme");
        var second = await archive.StartSecondServerAsync(o => o.RateLimits = true);
        await using var secondApp = second.App;

        var onFirst = await archive.PostFormAsync(List, Form(acme));
        var onSecond = await archive.PostFormAsync(List, Form(acme), second.Http);
        archive.Time.Advance(TimeSpan.FromSeconds(1));
        var onSecondLater = await archive.PostFormAsync(List, Form(acme), second.Http);
        var onFirstLater = await archive.PostFormAsync(List, Form(acme));

        Assert.Equal(HttpStatusCode.OK, onFirst.Status);
        onSecond.AssertError(HttpStatusCode.OK, 403, Limited);
        Assert.Equal(HttpStatusCode.OK, onSecondLater.Status);
        onFirstLater.AssertError(HttpStatusCode.OK, 403, Limited);
    }

    [StoreFact]
    public async Task Without_limits_any_number_of_requests_is_served()
    {
        await using var archive = await TestArchive.StartAsync(o => o.RateLimits = false);
        var acme = await archive.CreateAccountAsync("acme");

        for (var i = 0; i < 25; i++)
        {
            (await archive.PostFormAsync(List, Form(acme))).AssertJson(HttpStatusCode.OK, EmptyList);
        }
    }

    // --- The daily chat/list limit, per UTC calendar day ---

    [StoreFact]
    public async Task Daily_chat_list_limit_refuses_until_midnight_utc_and_then_resets()
    {
        await using var archive = await StartWithDailyLimitAsync(ErrorStatusMode.Http);
        var acme = await archive.CreateAccountAsync("acme");
        for (var i = 0; i < 3; i++)
        {
            (await archive.PostFormAsync(List, Form(acme))).AssertJson(HttpStatusCode.OK, EmptyList);
        }

        var fourth = await archive.PostFormAsync(List, Form(acme));
        archive.Time.Advance(TimeSpan.FromHours(11) + TimeSpan.FromMinutes(59) + TimeSpan.FromSeconds(59) + TimeSpan.FromMilliseconds(500));
        var justBeforeMidnight = await archive.PostFormAsync(List, Form(acme));
        archive.Time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero), archive.Time.GetUtcNow());
        var atMidnight = new List<ApiReply>();
        for (var i = 0; i < 4; i++)
        {
            atMidnight.Add(await archive.PostFormAsync(List, Form(acme)));
        }

        fourth.AssertError(HttpStatusCode.TooManyRequests, 403, Limited);
        Assert.Equal("43200", fourth.Header("Retry-After"));
        justBeforeMidnight.AssertError(HttpStatusCode.TooManyRequests, 403, Limited);
        Assert.Equal("1", justBeforeMidnight.Header("Retry-After"));
        Assert.All(atMidnight.Take(3), reply => reply.AssertJson(HttpStatusCode.OK, EmptyList));
        atMidnight[3].AssertError(HttpStatusCode.TooManyRequests, 403, Limited);
        Assert.Equal("86400", atMidnight[3].Header("Retry-After"));
    }

    [StoreFact]
    public async Task Daily_limit_runs_per_calendar_day_not_per_24_hours()
    {
        await using var archive = await StartWithDailyLimitAsync(ErrorStatusMode.Zoom);
        var acme = await archive.CreateAccountAsync("acme");
        archive.Time.Advance(TimeSpan.FromHours(11) + TimeSpan.FromMinutes(59));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await archive.PostFormAsync(List, Form(acme))).Status);
        }

        archive.Time.Advance(TimeSpan.FromMinutes(1));
        var twoMinutesLater = await archive.PostFormAsync(List, Form(acme));

        // 23:59 to 00:00: a new UTC day, though far less than 24 hours have passed.
        twoMinutesLater.AssertJson(HttpStatusCode.OK, EmptyList);
    }

    [StoreFact]
    public async Task Daily_limit_counts_only_chat_list()
    {
        await using var archive = await StartWithDailyLimitAsync(ErrorStatusMode.Zoom);
        var acme = await archive.CreateAccountAsync("acme");

        for (var i = 0; i < 5; i++)
        {
            (await archive.PostFormAsync(Get, Form(acme, ("session_id", "s")))).AssertError(HttpStatusCode.OK, 3001, "Chat session not found: s.");
        }

        var lists = new List<ApiReply>();
        for (var i = 0; i < 4; i++)
        {
            lists.Add(await archive.PostFormAsync(List, Form(acme)));
        }

        var getAfterwards = await archive.PostFormAsync(Get, Form(acme, ("session_id", "s")));

        Assert.All(lists.Take(3), reply => reply.AssertJson(HttpStatusCode.OK, EmptyList));
        lists[3].AssertError(HttpStatusCode.OK, 403, Limited);
        getAfterwards.AssertError(HttpStatusCode.OK, 3001, "Chat session not found: s.");
    }

    [StoreFact]
    public async Task Daily_limit_is_per_key()
    {
        await using var archive = await StartWithDailyLimitAsync(ErrorStatusMode.Zoom);
        var acme = await archive.CreateAccountAsync("acme");
        var (otherKey, otherSecret) = await archive.Administration.CreateApiKeyAsync("acme", CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            await archive.PostFormAsync(List, Form(acme));
        }

        var sameKey = await archive.PostFormAsync(List, Form(acme));
        var otherKeyOfAcme = await archive.PostFormAsync(List, Form(acme with { ApiKey = otherKey, ApiSecret = otherSecret }));

        sameKey.AssertError(HttpStatusCode.OK, 403, Limited);
        otherKeyOfAcme.AssertJson(HttpStatusCode.OK, EmptyList);
    }

    [StoreFact]
    public async Task Daily_limit_holds_across_a_second_server_process()
    {
        await using var archive = await StartWithDailyLimitAsync(ErrorStatusMode.Zoom);
        var acme = await archive.CreateAccountAsync("acme");
        var second = await archive.StartSecondServerAsync(DailyLimit(ErrorStatusMode.Zoom));
        await using var secondApp = second.App;

        var replies = new[]
        {
            await archive.PostFormAsync(List, Form(acme)),
            await archive.PostFormAsync(List, Form(acme), second.Http),
            await archive.PostFormAsync(List, Form(acme)),
            await archive.PostFormAsync(List, Form(acme), second.Http),
            await archive.PostFormAsync(List, Form(acme)),
        };

        Assert.All(replies.Take(3), reply => reply.AssertJson(HttpStatusCode.OK, EmptyList));
        Assert.All(replies.Skip(3), reply => reply.AssertError(HttpStatusCode.OK, 403, Limited));
        Assert.All(replies.Skip(3), reply => Assert.Equal("43200", reply.Header("Retry-After")));
    }

    [StoreFact]
    public async Task Daily_limit_refusals_do_not_take_from_the_next_day()
    {
        await using var archive = await StartWithDailyLimitAsync(ErrorStatusMode.Zoom);
        var acme = await archive.CreateAccountAsync("acme");
        for (var i = 0; i < 10; i++)
        {
            await archive.PostFormAsync(List, Form(acme));
        }

        archive.Time.Advance(TimeSpan.FromHours(12));
        var nextDay = new List<ApiReply>();
        for (var i = 0; i < 3; i++)
        {
            nextDay.Add(await archive.PostFormAsync(List, Form(acme)));
        }

        Assert.All(nextDay, reply => reply.AssertJson(HttpStatusCode.OK, EmptyList));
    }

    private static List<KeyValuePair<string, string>> Form(TestCredentials credentials, params (string Name, string Value)[] more) =>
        credentials.With([("from", "2016-01-16"), ("to", "2016-01-22"), .. more]);

    private static Task<TestArchive> StartWithDailyLimitAsync(ErrorStatusMode mode) => TestArchive.StartAsync(DailyLimit(mode));

    /// <summary>A daily chat/list limit of 3, with per-second limits high enough to stay out of the way.</summary>
    private static Action<ZoomChatOptions> DailyLimit(ErrorStatusMode mode) => o =>
    {
        o.RateLimits = true;
        o.ErrorStatus = mode;
        o.ChatListRequestsPerDay = 3;
        o.ChatRequestsPerSecond = 1000;
        o.RequestsPerSecond = 1000;
    };
}
