using ZoomChat.Server.Storage;
using ZoomChat.Tests.Interchange;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Storage;

/// <summary>
/// The chat/list index against the way that reads the store, and against a count made here from the
/// archive's own lines: same sessions, order, times, participants and totals, on every page, on both stores.
/// </summary>
public sealed class ChatListIndexTests
{
    private const long Day = 86_400_000;
    private static readonly long Start = DateTimeOffset.Parse("2016-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    [StoreFact]
    public async Task Whole_day_windows_are_answered_as_the_store_answers_them()
    {
        var archive = RandomArchive.Make(seed: 7);
        await using var store = await InterchangeStore.CreateAsync("acme", "globex");
        await store.ImportAsync(string.Join('\n', archive.Lines) + "\n", defaultAccount: null);
        Assert.Empty(store.Problems);
        await using var reading = await store.OpenAnotherAsync(chatListIndex: false);

        var mark = await store.Store.GetHighWaterMarkAsync(CancellationToken.None);
        var index = await TestStores.BuildListIndexNowAsync(store.Store);
        Assert.NotNull(index);
        Assert.Equal(mark, index.Mark);
        Assert.Equal(archive.SessionDays, index.Entries);

        var random = new Random(11);
        var accounts = new Dictionary<string, long>
        {
            ["acme"] = await store.AccountIdAsync("acme"),
            ["globex"] = await store.AccountIdAsync("globex"),
        };
        for (var i = 0; i < 400; i++)
        {
            var account = i % 5 == 0 ? "globex" : "acme";
            var firstDay = random.Next(-5, RandomArchive.Days + 5);
            var lastDay = i % 7 == 0 ? firstDay : firstDay + random.Next(0, 40);
            var (from, to) = (Start + (firstDay * Day), Start + ((lastDay + 1) * Day) - 1);
            string? email = (i % 3) switch
            {
                0 => null,
                1 when account == "acme" => RandomArchive.Everyone(account),
                _ => $"user{random.Next(RandomArchive.Users)}@{account}.example",
            };
            long? user = email is null ? null : (await store.Store.FindUserAsync(accounts[account], email, CancellationToken.None))!.Value.Id;
            var query = new ChatListQuery(accounts[account], from, to, user, mark, mark);
            var expected = archive.SessionsIn(account, from, to, email);

            var viaIndex = await TraverseAsync(store.Store, query, random.Next(1, 31));
            var viaStore = await TraverseAsync(reading, query, random.Next(1, 31));
            Assert.Equal(expected.Count, viaIndex.Total);
            Assert.Equal(viaStore.Rows, viaIndex.Rows);
            Assert.Equal(expected, viaIndex.Rows.Select(row => row.Split(' ')[0]).Order(StringComparer.Ordinal));
            if (email is null)
            {
                Assert.Equal(expected.Count, index.Window(accounts[account], (int)(from / Day), (int)(to / Day), null, 30).Total);
            }
        }
    }

    [StoreFact]
    public async Task Older_snapshots_and_partial_days_read_the_store()
    {
        var archive = RandomArchive.Make(seed: 3);
        await using var store = await InterchangeStore.CreateAsync("acme", "globex");
        var half = archive.Lines.Count / 2;
        await store.ImportAsync(string.Join('\n', archive.Lines.Take(half)) + "\n", defaultAccount: null);
        var before = await store.Store.GetHighWaterMarkAsync(CancellationToken.None);
        Assert.Equal(before, (await TestStores.BuildListIndexNowAsync(store.Store))!.Mark);
        await store.ImportAsync(string.Join('\n', archive.Lines.Skip(half)) + "\n", defaultAccount: null);
        var after = await store.Store.GetHighWaterMarkAsync(CancellationToken.None);
        Assert.True(after > before);
        await using var reading = await store.OpenAnotherAsync(chatListIndex: false);

        var acme = await store.AccountIdAsync("acme");
        var everyone = (await store.Store.FindUserAsync(acme, RandomArchive.Everyone("acme"), CancellationToken.None))!.Value.Id;
        var random = new Random(5);
        for (var i = 0; i < 120; i++)
        {
            var from = Start + (random.Next(0, RandomArchive.Days) * Day) + (i % 2 == 0 ? 0 : random.Next(1, (int)Day));
            var to = from + (random.Next(1, 30) * Day) - (i % 3 == 0 ? 1 : random.Next(2, (int)Day));
            var query = new ChatListQuery(acme, from, to, i % 4 == 0 ? everyone : null, i % 2 == 0 ? before : after, after);
            var size = random.Next(1, 31);
            Assert.Equal((await TraverseAsync(reading, query, size)).Rows, (await TraverseAsync(store.Store, query, size)).Rows);
        }
    }

    [StoreFact]
    public async Task Each_servers_index_answers_only_its_own_snapshot_while_another_process_imports()
    {
        var archive = RandomArchive.Make(seed: 13);
        // The importer, and two servers' stores with an index each, as separate processes have them.
        await using var store = await InterchangeStore.CreateAsync("acme", "globex");
        var half = archive.Lines.Count / 2;
        await store.ImportAsync(string.Join('\n', archive.Lines.Take(half)) + "\n", defaultAccount: null);
        await using var a = await store.OpenAnotherAsync(chatListIndex: true);
        await using var b = await store.OpenAnotherAsync(chatListIndex: true);
        await using var reading = await store.OpenAnotherAsync(chatListIndex: false);
        var before = await store.Store.GetHighWaterMarkAsync(CancellationToken.None);
        Assert.Equal(before, (await TestStores.BuildListIndexNowAsync(a))!.Mark);
        Assert.Equal(before, (await TestStores.BuildListIndexNowAsync(b))!.Mark);

        await store.ImportAsync(string.Join('\n', archive.Lines.Skip(half)) + "\n", defaultAccount: null);
        var after = await store.Store.GetHighWaterMarkAsync(CancellationToken.None);
        Assert.True(after > before);

        // Both snapshots on both servers: the older one's traversals go on, the newer one's start; a
        // server whose new index is built meanwhile answers from it.
        var acme = await store.AccountIdAsync("acme");
        var random = new Random(17);
        for (var i = 0; i < 60; i++)
        {
            var firstDay = random.Next(0, RandomArchive.Days);
            var (from, to) = (Start + (firstDay * Day), Start + ((firstDay + random.Next(1, 30)) * Day) - 1);
            var query = new ChatListQuery(acme, from, to, null, i % 2 == 0 ? before : after, after);
            var size = random.Next(1, 31);
            var expected = (await TraverseAsync(reading, query, size)).Rows;
            Assert.Equal(expected, (await TraverseAsync(a, query, size)).Rows);
            Assert.Equal(expected, (await TraverseAsync(b, query, size)).Rows);
        }
    }

    [StoreFact]
    public async Task A_page_of_the_indexs_snapshot_served_after_an_import_shows_names_and_participants_as_they_are_now()
    {
        await using var store = await InterchangeStore.CreateAsync("acme");
        await store.ImportAsync(string.Join('\n', [
            Lines.Message("team", "2016-01-21T10:00:00.000Z", "m", "ann@acme.com", groupName: "Before"),
            Lines.Message("dm", "2016-01-20T10:00:00.000Z", "m", "ann@acme.com", type: "1:1")]) + "\n");
        var acme = await store.AccountIdAsync("acme");
        var before = await store.Store.GetHighWaterMarkAsync(CancellationToken.None);
        Assert.Equal(before, (await TestStores.BuildListIndexNowAsync(store.Store))!.Mark);
        var (from, to) = (Start, Start + (31 * Day) - 1);
        var first = await store.Store.ListSessionsAsync(new ChatListQuery(acme, from, to, null, before, before), null, 30, CancellationToken.None);

        // A traversal's next page, of the index's snapshot, asked for once a newer import has renamed the group and joined bob.
        await store.ImportAsync(string.Join('\n', [
            Lines.Message("dm", "2016-03-01T10:00:00.000Z", "bob joins", "bob@acme.com"),
            Lines.Message("team", "2016-03-01T10:00:00.000Z", "renamed", "ann@acme.com", groupName: "After")]) + "\n");
        var after = await store.Store.GetHighWaterMarkAsync(CancellationToken.None);
        var later = await store.Store.ListSessionsAsync(new ChatListQuery(acme, from, to, null, before, after), null, 30, CancellationToken.None);

        Assert.Empty(store.Problems);
        Assert.Equal(["team Before ", "dm  ann@acme.com"], first.Rows.Select(Shown));
        Assert.Equal(["team After ", "dm  ann@acme.com,bob@acme.com"], later.Rows.Select(Shown));

        static string Shown(SessionActivity row) => $"{row.Session.PublicId} {row.Session.GroupName} {string.Join(',', row.Participants)}";
    }

    [StoreFact]
    public async Task A_users_page_of_the_indexs_snapshot_leaves_out_a_session_the_user_joined_after_it()
    {
        await using var store = await InterchangeStore.CreateAsync("acme");
        await store.ImportAsync(string.Join('\n', [
            Lines.Message("a", "2016-01-21T10:00:00.000Z", "m", "ann@acme.com"),
            Lines.Message("b", "2016-01-20T10:00:00.000Z", "ann is not here yet", "bob@acme.com")]) + "\n");
        var acme = await store.AccountIdAsync("acme");
        await store.Store.CreateApiKeyAsync(acme, "key", new byte[32], DateTimeOffset.UtcNow, CancellationToken.None);
        var before = await store.Store.GetHighWaterMarkAsync(CancellationToken.None);
        Assert.Equal(before, (await TestStores.BuildListIndexNowAsync(store.Store))!.Mark);

        // Ann joins b through a message outside the window; a traversal of the index's snapshot must not list b.
        await store.ImportAsync(Lines.Message("b", "2016-03-01T10:00:00.000Z", "ann joins later", "ann@acme.com") + "\n");
        var caller = await store.Store.FindCallerAsync("key", null, null, "ann@acme.com", null, CancellationToken.None);
        var (from, to) = (Start, Start + (31 * Day) - 1);
        var older = await store.Store.ListSessionsAsync(
            new ChatListQuery(acme, from, to, caller.UserId, before, caller.HighWaterMark), null, 30, CancellationToken.None);
        var newer = await store.Store.ListSessionsAsync(
            new ChatListQuery(acme, from, to, caller.UserId, caller.HighWaterMark, caller.HighWaterMark), null, 30, CancellationToken.None);

        Assert.Empty(store.Problems);
        Assert.True(caller.HighWaterMark > before);
        Assert.Equal(["a"], older.Rows.Select(row => row.Session.PublicId));
        Assert.Equal(["a", "b"], newer.Rows.Select(row => row.Session.PublicId));
    }

    [StoreFact]
    public async Task The_index_asks_the_store_for_a_users_sessions_once_whatever_the_window()
    {
        var archive = RandomArchive.Make(seed: 5);
        await using var store = await InterchangeStore.CreateAsync("acme", "globex");
        await store.ImportAsync(string.Join('\n', archive.Lines) + "\n", defaultAccount: null);
        var index = (await TestStores.BuildListIndexNowAsync(store.Store))!;
        var acme = await store.AccountIdAsync("acme");

        // A quiet user in three sessions, and a busy one in 1,200.
        int[] quiet = [1, 2, 3];
        var busy = Enumerable.Range(1, 1200).ToArray();
        var asked = new Dictionary<long, int>();
        Task<int[]> sessionsOf(long user, long mark, CancellationToken cancellation)
        {
            Assert.Equal(index.Mark, mark);
            asked[user] = asked.GetValueOrDefault(user) + 1;
            return Task.FromResult(user == 1 ? quiet : busy);
        }

        foreach (var (firstDay, lastDay) in new[] { (0, 30), (10, 12), (0, RandomArchive.Days), (0, 30) })
        {
            foreach (var user in new long[] { 1, 2 })
            {
                var query = new ChatListQuery(acme, Start + (firstDay * Day), Start + ((lastDay + 1) * Day) - 1, user, index.Mark, index.Mark);
                await index.WindowAsync(query, null, 30, sessionsOf, CancellationToken.None);
            }
        }

        Assert.Equal(new Dictionary<long, int> { [1] = 1, [2] = 1 }, asked);
    }

    [StoreFact]
    public async Task Two_requests_that_read_the_same_users_sessions_at_once_charge_the_index_for_one_copy()
    {
        var archive = RandomArchive.Make(seed: 5);
        await using var store = await InterchangeStore.CreateAsync("acme", "globex");
        await store.ImportAsync(string.Join('\n', archive.Lines) + "\n", defaultAccount: null);
        var acme = await store.AccountIdAsync("acme");
        int[] quiet = [1, 2, 3];
        var busy = Enumerable.Range(1, 1200).ToArray();

        // Each user's sessions asked once: what keeping both takes.
        var alone = (await TestStores.BuildListIndexNowAsync(store.Store))!;
        foreach (var user in new long[] { 1, 2 })
        {
            await alone.WindowAsync(Query(alone, user), null, 30, (id, _, _) => Task.FromResult(id == 1 ? quiet : busy), CancellationToken.None);
        }

        // Two requests per user, both waiting in the store's read until the other is there too.
        var raced = (await TestStores.BuildListIndexNowAsync(store.Store))!;
        foreach (var user in new long[] { 1, 2 })
        {
            var arrived = 0;
            var both = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            async Task<int[]> sessionsOf(long id, long mark, CancellationToken cancellation)
            {
                if (Interlocked.Increment(ref arrived) == 2)
                {
                    both.SetResult();
                }

                await both.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellation);
                return id == 1 ? quiet : busy;
            }

            await Task.WhenAll(
                raced.WindowAsync(Query(raced, user), null, 30, sessionsOf, CancellationToken.None),
                raced.WindowAsync(Query(raced, user), null, 30, sessionsOf, CancellationToken.None));
        }

        Assert.True(alone.KeptUserBytes > 0);
        Assert.Equal(alone.KeptUserBytes, raced.KeptUserBytes);

        ChatListQuery Query(ChatListIndex index, long user) =>
            new(acme, Start, Start + (31 * Day) - 1, user, index.Mark, index.Mark);
    }

    /// <summary>Every page of a traversal, each row as "session last-time participants"; the total checked the same on every page.</summary>
    private static async Task<(List<string> Rows, int Total)> TraverseAsync(IArchiveStore store, ChatListQuery query, int pageSize)
    {
        var rows = new List<string>();
        SessionCursor? cursor = null;
        int? total = null;
        while (true)
        {
            var page = await store.ListSessionsAsync(query, cursor, pageSize, CancellationToken.None);
            Assert.Equal(total ?? page.WindowSessions, page.WindowSessions);
            total = page.WindowSessions;
            Assert.True(page.Rows.Count <= pageSize);
            rows.AddRange(page.Rows.Select(row => $"{row.Session.PublicId} {row.LastMessageTimeMs} {string.Join(',', row.Participants)}"));
            if (page.Rows.Count < pageSize || rows.Count == total)
            {
                Assert.Equal(total, rows.Count);
                return (rows, total.Value);
            }

            var last = page.Rows[^1];
            cursor = new SessionCursor(last.LastMessageTimeMs, last.Session.PublicId);
        }
    }

    /// <summary>
    /// Sessions over 90 days: a quarter 1:1, groups of a few users, one user in every session of
    /// acme (a busy user, kept as a set by the index), times often tied to the second across
    /// sessions and on the days' first and last milliseconds.
    /// </summary>
    private sealed class RandomArchive
    {
        public const int Days = 90;
        public const int Users = 30;

        private readonly List<(string Account, string Session, long Time, string[] Participants)> _messages = [];

        public List<string> Lines { get; } = [];

        public int SessionDays => _messages.Select(m => (m.Session, Math.Floor(m.Time / (double)Day))).Distinct().Count();

        public static string Everyone(string account) => $"everyone@{account}.example";

        public static RandomArchive Make(int seed)
        {
            var random = new Random(seed);
            var archive = new RandomArchive();
            foreach (var (account, sessions) in new[] { ("acme", 1500), ("globex", 150) })
            {
                for (var s = 0; s < sessions; s++)
                {
                    var oneOnOne = random.Next(4) == 0;
                    var members = Enumerable.Range(0, oneOnOne ? 2 : random.Next(3, 7))
                        .Select(_ => $"user{random.Next(Users)}@{account}.example").Distinct().ToList();
                    if (!oneOnOne && account == "acme")
                    {
                        members.Add(Everyone(account));
                    }

                    if (oneOnOne && members.Count < 2)
                    {
                        members.Add(account == "acme" ? Everyone(account) : $"other@{account}.example");
                    }

                    var session = $"{account}-s{s:D4}";
                    var firstDay = random.Next(Days);
                    for (var m = random.Next(1, 9); m > 0; m--)
                    {
                        var day = Math.Min(Days - 1, firstDay + (random.Next(3) == 0 ? random.Next(0, 30) : 0));
                        var time = (random.Next(5)) switch
                        {
                            0 => 0,
                            1 => Day - 1,
                            _ => random.Next(0, 8) * 3_600_000L,
                        };
                        var at = Start + (day * Day) + time;
                        archive._messages.Add((account, session, at, [.. members]));
                        archive.Lines.Add(ZoomChat.Tests.Support.Lines.Message(
                            session,
                            DateTimeOffset.FromUnixTimeMilliseconds(at).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
                            $"message {m}",
                            members[random.Next(members.Count)],
                            type: oneOnOne ? "1:1" : "Group",
                            groupName: oneOnOne ? null : $"Group {s}",
                            participants: [.. members],
                            account: account));
                    }
                }
            }

            return archive;
        }

        /// <summary>The public ids of the account's sessions with a message in [from, to], of the user's if given, in ordinal order.</summary>
        public List<string> SessionsIn(string account, long from, long to, string? email) =>
            [.. _messages
                .Where(m => m.Account == account && m.Time >= from && m.Time <= to && (email is null || m.Participants.Contains(email)))
                .Select(m => m.Session)
                .Distinct()
                .Order(StringComparer.Ordinal)];
    }
}
