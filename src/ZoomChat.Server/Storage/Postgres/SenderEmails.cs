using System.Collections.Concurrent;
using Npgsql;

namespace ZoomChat.Server.Storage.Postgres;

/// <summary>
/// Senders' e-mails by user id, kept by a server process so that a chat/get page is read without joining
/// users, which took most of a page's buffer reads (docs/benchmarks.md#senders-e-mails-kept). A user's e-mail
/// never changes. Its id can be taken again only once the user is deleted, which needs every message the user
/// sent gone; only a session removal deletes messages, and it moves the account's removal mark. So an e-mail
/// kept is used only for a request of the same account that read the same removal mark with its caller.
/// </summary>
internal sealed class SenderEmails
{
    /// <summary>E-mails kept at most; then the process starts again with none.</summary>
    private const int MaxKept = 200_000;

    private readonly ConcurrentDictionary<long, Kept> _kept = new();

    /// <summary>
    /// The page's rows with their senders' e-mails: those not kept for the scope are read in one statement, made
    /// by <paramref name="command"/> (on the page's connection, or one of the pool's).
    /// </summary>
    public async Task<List<StoredMessage>> ResolveAsync(
        IReadOnlyList<PageRow> rows, SenderScope? scope, Func<string, NpgsqlCommand> command, CancellationToken cancellationToken)
    {
        var emails = new Dictionary<long, string>();
        HashSet<long>? missing = null;
        foreach (var row in rows)
        {
            if (row.SenderId is not { } id || emails.ContainsKey(id))
            {
                continue;
            }

            if (scope is { } s && _kept.TryGetValue(id, out var kept) && kept.AccountId == s.AccountId && kept.RemovalMark == s.RemovalMark)
            {
                emails[id] = kept.Email;
            }
            else
            {
                (missing ??= []).Add(id);
            }
        }

        if (missing is not null)
        {
            await ReadAsync(missing, emails, scope, command, cancellationToken);
        }

        var messages = new List<StoredMessage>(rows.Count);
        foreach (var row in rows)
        {
            var sender = row.SenderId is { } id && emails.TryGetValue(id, out var email) ? email : null;
            messages.Add(new StoredMessage(row.Arrival, row.DateTimeMs, row.Text, sender));
        }

        return messages;
    }

    private async Task ReadAsync(
        HashSet<long> ids,
        Dictionary<long, string> emails,
        SenderScope? scope,
        Func<string, NpgsqlCommand> command,
        CancellationToken cancellationToken)
    {
        await using var read = command("SELECT id, email FROM users WHERE id = ANY($1);");
        read.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        // ConcurrentDictionary.Count takes every lock: checked once per statement, not per row.
        if (scope is not null && _kept.Count + ids.Count > MaxKept)
        {
            _kept.Clear();
        }

        while (await reader.ReadAsync(cancellationToken))
        {
            var (id, email) = (reader.GetInt64(0), reader.GetString(1));
            emails[id] = email;
            if (scope is { } s)
            {
                _kept[id] = new Kept(s.AccountId, s.RemovalMark, email);
            }
        }
    }

    private sealed record Kept(long AccountId, long RemovalMark, string Email);
}

/// <summary>A chat/get page's row as read, before its sender's e-mail is known.</summary>
internal readonly record struct PageRow(long Arrival, long DateTimeMs, string Text, long? SenderId);
