using System.Globalization;
using System.Net;
using System.Text.Json;
using CsCheck;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Reliability;

/// <summary>
/// Tenant isolation as a property (docs/reliability.md#tenant-isolation): in generated archives of several
/// accounts whose session ids, message ids and some users collide, no answer to a call authenticated for one
/// account holds anything of another account's archive, and page tokens moved between accounts are refused
/// (docs/api.md#what-a-token-is-bound-to).
/// </summary>
public sealed class TenantIsolationTests
{
    private const string Window = "2016-01-18";
    private const string InvalidToken = "The next page token is invalid or expired.";

    private sealed record SessionSpec(string Id, bool OneOnOne, string GroupName, IReadOnlyList<(string Sender, int Minute, string Text)> Messages);

    private sealed record AccountSpec(string Name, IReadOnlyList<SessionSpec> Sessions)
    {
        /// <summary>What only this account holds: ids, names, texts and e-mails no other account of the world has.</summary>
        public IEnumerable<string> Markers(IEnumerable<AccountSpec> others)
        {
            var theirs = others.SelectMany(o => o.Sessions.Select(s => s.Id)).ToHashSet(StringComparer.Ordinal);
            return Sessions.Select(s => s.Id).Where(id => !theirs.Contains(id))
                .Concat(Sessions.Where(s => !s.OneOnOne).Select(s => s.GroupName))
                .Concat(Sessions.SelectMany(s => s.Messages).SelectMany(m => new[] { m.Text, m.Sender }))
                .Where(marker => marker.Contains(Name, StringComparison.Ordinal));
        }
    }

    private static Gen<string> Marker(string kind, string account) =>
        from n in Gen.UInt select $"{kind}{account}x{n.ToString("x8", CultureInfo.InvariantCulture)}";

    /// <summary>Session ids mostly from a small pool that every account draws from, so that they collide.</summary>
    private static Gen<SessionSpec> Session(string account) =>
        from id in Gen.Frequency((3, Gen.OneOf("s-1", "s-2", "shared", "S-1")), (1, Marker("session", account)))
        from oneOnOne in Gen.Bool
        from groupName in Marker("group", account)
        from messages in (
            from sender in Gen.Frequency((1, Gen.OneOf("ann@iso.test", "bob@iso.test")), (2, Marker("user", account).Select(u => u + "@iso.test")))
            from minute in Gen.Int[0, 23 * 60]
            from text in Marker("text", account)
            select (sender, minute, text)).List[1, 6]
        select new SessionSpec(id, oneOnOne, groupName, oneOnOne ? [.. messages.Select(m => m with { sender = messages[0].sender })] : messages);

    private static Gen<AccountSpec> Account(string name) =>
        from sessions in Session(name).List[1, 4]
        select new AccountSpec(name, [.. sessions.DistinctBy(s => s.Id)]);

    private static readonly Gen<AccountSpec[]> World =
        from count in Gen.Int[2, 3]
        from accounts in Gen.Select(Account("tenanta"), Account("tenantb"), Account("tenantc"))
        select new[] { accounts.Item1, accounts.Item2, accounts.Item3 }.Take(count).ToArray();

    // The messages are tuples: their fields are printed too, so that a failing world can be read.
    private static readonly JsonSerializerOptions Printed = new() { IncludeFields = true };

    [StoreFact]
    public async Task No_answer_to_one_account_holds_a_byte_of_another_accounts_archive_and_moved_page_tokens_are_refused()
    {
        await World.SampleAsync(CheckWorldAsync, iter: 8, threads: 1, print: world => JsonSerializer.Serialize(world, Printed));
    }

    private static async Task CheckWorldAsync(AccountSpec[] world)
    {
        await using var archive = await TestArchive.StartAsync();
        var credentials = new Dictionary<string, TestCredentials>(StringComparer.Ordinal);
        foreach (var account in world)
        {
            credentials[account.Name] = await archive.CreateAccountAsync(account.Name, "viewer@iso.test");
            var messageNumber = 0;
            await archive.ImportAsync(account.Name, [.. account.Sessions.SelectMany(s => s.Messages.Select(m => JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["session_id"] = s.Id,
                ["type"] = s.OneOnOne ? "1:1" : "Group",
                ["group_name"] = s.GroupName,
                // Message ids restart in every account: the same ids name different messages.
                ["message_id"] = $"m-{messageNumber++}",
                ["sender"] = m.Sender,
                ["date_time"] = $"{Window}T{m.Minute / 60:00}:{m.Minute % 60:00}:00Z",
                ["message"] = m.Text,
            })))]);
        }

        // The traversals of every account, one row to a page, with the first page's token.
        var traversals = new Dictionary<string, List<(string Path, (string, string)[] Parameters, string Token)>>(StringComparer.Ordinal);
        foreach (var account in world)
        {
            traversals[account.Name] = [];
            var calls = account.Sessions.Select(s => ("/v1/chat/get", new[] { ("session_id", s.Id) }))
                .Prepend(("/v1/chat/list", Array.Empty<(string, string)>()));
            foreach (var (path, extra) in calls)
            {
                (string, string)[] parameters = [.. extra, ("from", Window), ("to", Window), ("page_size", "1")];
                var page = await archive.PostJsonAsync(path, credentials[account.Name].With(parameters));
                if (page.TryGetProperty("next_page_token", out var token) && token.GetString() is { Length: > 0 } text)
                {
                    traversals[account.Name].Add((path, parameters, text));
                }
            }
        }

        foreach (var caller in world)
        {
            var others = world.Where(a => a != caller).ToList();
            var own = credentials[caller.Name];
            foreach (var other in others)
            {
                var markers = other.Markers(world.Where(a => a != other)).ToList();
                var theirs = credentials[other.Name];
                markers.AddRange([theirs.ApiSecret, theirs.AccessToken]);
                foreach (var format in new[] { "JSON", "XML" })
                {
                    // Their sessions' ids (colliding or theirs alone) and their users, asked with our credentials.
                    foreach (var session in other.Sessions)
                    {
                        await AssertIsolatedAsync(archive, "/v1/chat/get", own.With(("session_id", session.Id), ("from", Window), ("to", Window), ("data_type", format)), markers);
                    }

                    foreach (var sender in other.Sessions.SelectMany(s => s.Messages).Select(m => m.Sender).Distinct())
                    {
                        await AssertIsolatedAsync(archive, "/v1/chat/list", own.With(("email", sender), ("from", Window), ("to", Window), ("data_type", format)), markers);
                    }

                    await AssertIsolatedAsync(archive, "/v1/chat/list", own.With(("from", Window), ("to", Window), ("data_type", format)), markers);

                    // Our key with their access token, and their key with ours: never their archive, always 124.
                    var mixed = new TestCredentials(caller.Name, own.ApiKey, own.ApiSecret, theirs.AccessToken);
                    var reply = await AssertIsolatedAsync(archive, "/v1/chat/list", mixed.With(("from", Window), ("to", Window)), markers);
                    reply.AssertError(HttpStatusCode.OK, 124, "Invalid access token.");

                    // Their page tokens, with exactly the parameters of their traversal, carried on with our credentials.
                    foreach (var (path, parameters, token) in traversals[other.Name])
                    {
                        reply = await AssertIsolatedAsync(archive, path, own.With([.. parameters, ("next_page_token", token), ("data_type", format)]), markers);
                        if (format == "JSON")
                        {
                            reply.AssertError(HttpStatusCode.OK, 300, InvalidToken);
                        }
                        else
                        {
                            reply.AssertXmlError(HttpStatusCode.OK, 300, InvalidToken);
                        }
                    }
                }
            }

            // Our own traversals go on with our tokens: the refusals above are about the account, not the token.
            foreach (var (path, parameters, token) in traversals[caller.Name])
            {
                var page = await archive.PostJsonAsync(path, own.With([.. parameters, ("next_page_token", token)]));
                Assert.False(page.TryGetProperty("error", out _), page.ToString());
            }
        }
    }

    private static async Task<ApiReply> AssertIsolatedAsync(TestArchive archive, string path, List<KeyValuePair<string, string>> form, IReadOnlyList<string> markers)
    {
        var reply = await ApiReply.ReadAsync(await archive.PostAsync(path, form));
        // A value the request itself sent may come back in an error message (an unknown session id, an unknown e-mail).
        var sent = form.Select(p => p.Value).ToHashSet(StringComparer.Ordinal);
        var leaked = markers.Where(m => !sent.Contains(m) && reply.Body.Contains(m, StringComparison.Ordinal)).ToList();
        Assert.True(leaked.Count == 0, $"{path} answered with another account's {string.Join(", ", leaked)}:\n{reply.Body}");
        return reply;
    }
}
