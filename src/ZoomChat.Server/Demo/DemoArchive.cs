using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ZoomChat.Client.Wire;
using ZoomChat.Server.Accounts;
using ZoomChat.Server.Interchange;
using ZoomChat.Server.Storage;

namespace ZoomChat.Server.Demo;

/// <summary>
/// The demo archive behind <c>zoomchat demo</c>: a small team's chats from January and February
/// 2016, covering the seed's example window (2016-01-16 to 2016-01-22), generated from a fixed seed
/// so that every run holds the same data. Filling is idempotent; the credentials are fixed and
/// public, so the README's curl call works as printed. Never use them for a real archive.
/// </summary>
internal static class DemoArchive
{
    public const string Account = "demo";
    public const string ApiKey = "demo-api-key";
    public const string ApiSecret = "demo-api-secret";
    public const string AccessToken = "demo-access-token";
    public const string AdminEmail = "admin@example.com";

    private const string Domain = "example.com";

    private static readonly string[] People =
        ["ana.silva", "ben.okafor", "chen.wei", "dana.kowalski", "eli.haddad", "fatima.rahman", "gus.lindqvist", "hana.sato"];

    private static readonly (string Id, string Name, int[] Members)[] Groups =
    [
        ("9f3c2a61-5b7e-4d0a-8c1f-2e6b7a9d4c10", "Design", [0, 2, 3, 7]),
        ("1b8e4f27-93d5-4a6c-b0e2-7c5d1f8a3e92", "Engineering", [1, 2, 4, 5, 6]),
        ("c47a9d03-2e1f-4b8c-9a5d-6f0e3b7c1d48", "Release 2016.1", [0, 1, 2, 4, 5]),
        ("5e2d8b14-7f6a-4c3e-a1b9-0d4f8e2c6a75", "Support escalations", [3, 5, 6, 7]),
        ("e8a1c5f9-0b3d-4e7a-9c2f-5a6d1b8e4f03", "Random", [0, 1, 2, 3, 4, 5, 6, 7]),
    ];

    private static readonly (int A, int B)[] Pairs = [(0, 2), (1, 4), (3, 7), (5, 6), (0, 5)];

    private static readonly string[] Lines =
    [
        "Morning! Stand-up in 10 minutes.",
        "Can someone review my pull request before lunch?",
        "The staging deploy is green.",
        "I pushed the new mock-ups to the shared folder.",
        "Customer reports the export times out on large archives.",
        "Looking into it now.",
        "Thanks! 🙏",
        "Found it: the index on session time was missing.",
        "Let's move the release review to Thursday.",
        "Works for me.",
        "Who owns the on-call rotation this week?",
        "I do, ping me if anything breaks.",
        "Draft of the release notes: https://example.com/notes/2016.1",
        "Build 2016.1-rc2 is out for testing.",
        "Found a regression in the date filter when `to` is a plain date.",
        "Fixed in rc3, please retest.",
        "Lunch? Thai place around the corner.",
        "Café at 3? ☕",
        "Is the <b>bold</b> markup supposed to show in the chat log?",
        "Ticket #4821 is escalated, the customer is on a call with us at 14:00.",
        "Sharing the agenda for tomorrow's workshop.",
        "Ok 👍",
        "Can we pair on the XML output later?",
        "Sure, after 4.",
        "Reminder: fill in the retro board by Friday.",
        "The new logo colours look great.",
        "Quick question about the API keys rotation policy.",
        "Keys rotate every 90 days, tokens can expire sooner.",
        "Heads-up: maintenance window tonight 22:00–23:00 UTC.",
        "All done, systems back to normal.",
    ];

    /// <summary>Creates the demo account, credentials and messages where they are missing.</summary>
    public static async Task<DemoSummary> FillAsync(IArchiveStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var admin = new ArchiveAdministration(store, time);
        if (await store.FindAccountAsync(Account, cancellationToken) is null)
        {
            await admin.CreateAccountAsync(Account, cancellationToken);
        }

        if (await store.FindApiKeyAsync(ApiKey, cancellationToken) is null)
        {
            await admin.CreateApiKeyAsync(Account, ApiKey, ApiSecret, cancellationToken);
        }

        await admin.AddUserAsync(Account, AdminEmail, "Archive Admin", archiveViewer: true, cancellationToken);
        for (var i = 0; i < People.Length; i++)
        {
            await admin.AddUserAsync(Account, Email(i), DisplayName(i), archiveViewer: null, cancellationToken);
        }

        if (await store.FindAccessTokenAsync(Secrets.Hash(AccessToken), cancellationToken) is null)
        {
            await admin.IssueAccessTokenAsync(Account, AdminEmail, expiresIn: null, AccessToken, cancellationToken);
        }

        var ndjson = Generate(out var sessions, out var messages);
        using var stream = new MemoryStream(ndjson);
        var importer = new ArchiveImporter(store);
        await importer.ImportAsync(stream, Account, progress: null, onRejected: problem =>
            throw new InvalidOperationException($"The demo data is wrong at line {problem.LineNumber}: {problem.Reason}"), cancellationToken);
        return new DemoSummary(sessions, messages);
    }

    /// <summary>The demo messages in the interchange format (docs/import-formats.md#the-interchange-format).</summary>
    public static byte[] Generate(out int sessions, out int messages)
    {
        var random = new Random(2016);
        var output = new MemoryStream();
        var count = 0;
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var first = new DateTime(2016, 1, 4, 0, 0, 0, DateTimeKind.Utc);
            for (var day = first; day < new DateTime(2016, 3, 1, 0, 0, 0, DateTimeKind.Utc); day = day.AddDays(1))
            {
                var weekend = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
                foreach (var (id, name, members) in Groups)
                {
                    count += WriteConversation(output, writer, random, day, weekend ? random.Next(0, 2) : random.Next(2, 14), id, ChatSessionTypes.Group, name, members);
                }

                for (var p = 0; p < Pairs.Length; p++)
                {
                    var (a, b) = Pairs[p];
                    var sessionId = string.Create(CultureInfo.InvariantCulture, $"7d0f{p:D4}-1a2b-4c3d-8e9f-{a:D2}{b:D2}c0ffee00");
                    count += WriteConversation(output, writer, random, day, weekend ? 0 : random.Next(0, 6), sessionId, ChatSessionTypes.OneOnOne, null, [a, b]);
                }
            }
        }

        sessions = Groups.Length + Pairs.Length;
        messages = count;
        return output.ToArray();
    }

    private static int WriteConversation(
        MemoryStream output,
        Utf8JsonWriter writer, Random random, DateTime day, int count, string sessionId, string type, string? groupName, int[] members)
    {
        var at = day.AddHours(8).AddMinutes(random.Next(0, 120)).AddSeconds(random.Next(0, 60)).AddMilliseconds(random.Next(0, 1000));
        for (var i = 0; i < count; i++)
        {
            var sender = members[random.Next(members.Length)];
            writer.WriteStartObject();
            writer.WriteString("session_id", sessionId);
            writer.WriteString("type", type);
            if (groupName is not null)
            {
                writer.WriteString("group_name", groupName);
            }

            writer.WriteStartArray("participants");
            foreach (var member in members)
            {
                writer.WriteStringValue(Email(member));
            }

            writer.WriteEndArray();
            writer.WriteString("message_id", string.Create(CultureInfo.InvariantCulture, $"{sessionId}/{at:yyyyMMddHHmmssfff}/{i}"));
            writer.WriteString("sender", Email(sender));
            writer.WriteString("date_time", ZoomTime.ToWire(at));
            writer.WriteString("message", Lines[random.Next(Lines.Length)]);
            writer.WriteEndObject();
            writer.Flush();
            output.WriteByte((byte)'\n');
            writer.Reset();

            // Replies follow within minutes; now and then two arrive in the same millisecond.
            at = random.Next(10) == 0 ? at : at.AddSeconds(random.Next(5, 900)).AddMilliseconds(random.Next(0, 1000));
        }

        return count;
    }

    private static string Email(int person) => $"{People[person]}@{Domain}";

    private static string DisplayName(int person)
    {
        var parts = People[person].Split('.');
        return string.Join(' ', parts.Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }
}

/// <summary>How much the demo archive holds.</summary>
internal sealed record DemoSummary(int Sessions, int Messages);
