using System.Globalization;
using System.Text.Json;

namespace ZoomChat.Bench.DataGen;

/// <summary>
/// <c>FILE.meta.json</c>: what load scripts need to make valid requests against the imported archive
/// (accounts, the user to grant the archive-view privilege, sessions big and small with their
/// periods, participants' e-mails, the time span), and how the file was made.
/// </summary>
internal static class SidecarWriter
{
    private const int EmailsPerKind = 5;

    public static void Write(string path, ArchivePlan plan, NdjsonArchiveWriter writer, string? dataFile, TimeSpan elapsed, TimeSpan cpu)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions
        {
            Indented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        var settings = plan.Settings;
        json.WriteStartObject();
        json.WriteString("format", "zoomchat-bench-meta/1");
        json.WriteNumber("messages", settings.Messages);
        json.WriteNumber("seed", settings.Seed);
        json.WriteNumber("accounts_count", settings.Accounts);
        if (dataFile is not null)
        {
            json.WriteString("data_file", Path.GetFileName(dataFile));
        }

        json.WriteNumber("bytes", writer.BytesWritten);
        json.WriteString("first", Time(plan.Accounts.Min(a => a.FirstMs)));
        json.WriteString("last", Time(plan.Accounts.Max(a => a.LastMs)));

        json.WriteStartObject("generation");
        json.WriteNumber("seconds", Math.Round(elapsed.TotalSeconds, 3));
        json.WriteNumber("lines_per_second", Math.Round(settings.Messages / elapsed.TotalSeconds));
        json.WriteNumber("megabytes_per_second", Math.Round(writer.BytesWritten / 1e6 / elapsed.TotalSeconds, 1));
        json.WriteNumber("cpu_seconds", Math.Round(cpu.TotalSeconds, 3));
        json.WriteEndObject();

        var histogram = writer.TextLengthHistogram;
        json.WriteStartObject("message_text_bytes");
        json.WriteNumber("mean", Math.Round(Mean(histogram), 1));
        json.WriteNumber("median", Percentile(histogram, 0.5));
        json.WriteNumber("p90", Percentile(histogram, 0.9));
        json.WriteNumber("p99", Percentile(histogram, 0.99));
        json.WriteNumber("max", Array.FindLastIndex(histogram, count => count > 0));
        json.WriteEndObject();

        var sizes = (int[])plan.MessagesOf.Clone();
        Array.Sort(sizes);
        json.WriteStartObject("sessions");
        json.WriteNumber("count", plan.SessionCount);
        json.WriteNumber("one_on_one", plan.OneOnOne.Count(x => x));
        json.WriteNumber("median_messages", sizes[sizes.Length / 2]);
        json.WriteNumber("p99_messages", sizes[(int)(sizes.Length * 0.99)]);
        json.WriteNumber("largest_messages", sizes[^1]);
        json.WriteNumber("with_more_than_30_messages", sizes.Count(x => x > 30));
        json.WriteEndObject();

        json.WriteStartArray("accounts");
        foreach (var account in plan.Accounts)
        {
            json.WriteStartObject();
            json.WriteString("account", account.Name);
            json.WriteString("domain", account.Domain);
            json.WriteString("admin_email", account.AdminEmail);
            json.WriteNumber("messages", account.Messages);
            json.WriteNumber("sessions", account.Sessions);
            json.WriteNumber("users", account.Emails.Length);
            json.WriteString("first", Time(account.FirstMs));
            json.WriteString("last", Time(account.LastMs));
            json.WriteNumber("first_ms", account.FirstMs);
            json.WriteNumber("last_ms", account.LastMs);
            WriteSessions(json, "big_sessions", plan, plan.BigSessions[account.Index]);
            WriteSessions(json, "medium_sessions", plan, plan.MediumSessions[account.Index]);
            WriteSessions(json, "sample_sessions", plan, plan.SampleSessions[account.Index]);
            var members = Enumerable.Range(0, account.Emails.Length).Where(user => account.TookPart[user]).ToList();
            json.WriteStartArray("busy_emails");
            foreach (var user in members.Take(EmailsPerKind))
            {
                json.WriteStringValue(account.Emails[user]);
            }

            json.WriteEndArray();
            json.WriteStartArray("quiet_emails");
            foreach (var user in members.Skip(EmailsPerKind).TakeLast(EmailsPerKind))
            {
                json.WriteStringValue(account.Emails[user]);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteSessions(Utf8JsonWriter json, string name, ArchivePlan plan, List<int> sessions)
    {
        json.WriteStartArray(name);
        foreach (var session in sessions)
        {
            json.WriteStartObject();
            json.WriteString("session_id", plan.SessionId(session));
            json.WriteString("type", plan.OneOnOne[session] ? "1:1" : "Group");
            json.WriteNumber("messages", plan.MessagesOf[session]);
            json.WriteString("first", Time(plan.StartMsOf[session]));
            json.WriteString("last", Time(plan.LastMsOf[session]));
            json.WriteNumber("first_ms", plan.StartMsOf[session]);
            json.WriteNumber("last_ms", plan.LastMsOf[session]);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static string Time(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static double Mean(long[] histogram)
    {
        double sum = 0, count = 0;
        for (var length = 0; length < histogram.Length; length++)
        {
            sum += (double)length * histogram[length];
            count += histogram[length];
        }

        return count == 0 ? 0 : sum / count;
    }

    private static int Percentile(long[] histogram, double fraction)
    {
        var target = (long)Math.Ceiling(histogram.Sum() * fraction);
        long seen = 0;
        for (var length = 0; length < histogram.Length; length++)
        {
            seen += histogram[length];
            if (seen >= target && seen > 0)
            {
                return length;
            }
        }

        return 0;
    }
}
