using ZoomChat.Client.Wire;
using ZoomChat.Server.Storage;

namespace ZoomChat.Server.Interchange;

/// <summary>
/// The rules of the interchange format (docs/import-formats.md#the-interchange-format), applied to a
/// chunk of lines without I/O: given what the store holds for the chunk's keys (<see cref="StoredKeys"/>),
/// it decides each line's outcome and adds what a stored line writes to <see cref="ImportChanges"/>,
/// with the ids the store handed out. One planner serves one import; every store uses it.
/// </summary>
internal sealed class ImportPlanner
{
    // Kept for the whole import: accounts and users are never removed by an import.
    private readonly Dictionary<string, long> _accountIds = new(StringComparer.Ordinal);
    private readonly Dictionary<(long AccountId, string Email), long> _userIds = [];

    // Kept for one store transaction: nobody else writes while it is open.
    private readonly Dictionary<(long AccountId, string SessionId), BatchSession> _sessions = [];

    // Written by the chunk being planned and by the one before it, which the store's answers do not
    // hold yet: the importer reads a chunk's keys before it writes the previous chunk.
    private Dictionary<(long AccountId, string MessageId), MessageIdentity> _chunkMessages = [];
    private Dictionary<(long AccountId, string SessionId, long DateTimeMs), List<(long? SenderId, string Text)>> _chunkInstants = [];
    private Dictionary<(long AccountId, string MessageId), MessageIdentity> _previousMessages = [];
    private Dictionary<(long AccountId, string SessionId, long DateTimeMs), List<(long? SenderId, string Text)>> _previousInstants = [];

    // The ids handed out so far in this transaction: the store's answers miss the previous chunk's.
    private long _nextSessionId, _nextUserId, _nextArrival;

    internal enum Outcome
    {
        Stored,
        Duplicate,
        Rejected,
    }

    /// <summary>Forgets everything: ids remembered by an earlier import that failed may belong to rolled-back rows.</summary>
    public void BeginImport()
    {
        _accountIds.Clear();
        _userIds.Clear();
        _sessions.Clear();
    }

    /// <summary>A new store transaction: sessions are read again, as another import may have changed them in between.</summary>
    public void BeginTransaction()
    {
        _sessions.Clear();
        _chunkMessages.Clear();
        _chunkInstants.Clear();
        _previousMessages.Clear();
        _previousInstants.Clear();
        (_nextSessionId, _nextUserId, _nextArrival) = (0, 0, 0);
    }

    /// <summary>The account names of the chunk not known yet. Only found accounts are remembered: one created while the import runs is found later.</summary>
    public void AddAccountKeys(List<ImportRecord> chunk, string? defaultAccount, ImportKeys keys)
    {
        foreach (var record in chunk)
        {
            if (record.Line is { } line && (line.Account ?? defaultAccount) is { } name && !_accountIds.ContainsKey(name))
            {
                keys.Accounts.Add(name);
            }
        }
    }

    public void LearnAccounts(StoredKeys stored)
    {
        foreach (var (name, id) in stored.Accounts)
        {
            _accountIds[name] = id;
        }
    }

    /// <summary>Everything else the chunk's lines look up that this planner does not know yet.</summary>
    public void AddKeys(List<ImportRecord> chunk, string? defaultAccount, ImportKeys keys)
    {
        foreach (var record in chunk)
        {
            if (record.Line is not { } line || (line.Account ?? defaultAccount) is not { } name || !_accountIds.TryGetValue(name, out var accountId))
            {
                continue;
            }

            var known = _sessions.GetValueOrDefault((accountId, line.SessionId));
            if (known is null)
            {
                keys.Sessions.Add((accountId, line.SessionId));
            }

            if (line.Sender is { } sender && !_userIds.ContainsKey((accountId, sender)))
            {
                keys.Users.Add((accountId, sender));
            }

            // Indexed: an enumerator through the interface would be allocated per line.
            for (var i = 0; i < line.Participants.Count; i++)
            {
                var email = line.Participants[i];
                if (known?.MemberEmails.Contains(email) != true && !_userIds.ContainsKey((accountId, email)))
                {
                    keys.Users.Add((accountId, email));
                }
            }

            if (line.MessageId is { } messageId)
            {
                keys.MessageIds.TryAdd((accountId, messageId), line.Text);
            }
            else
            {
                keys.Instants.Add((accountId, line.SessionId, line.DateTimeMs));
            }
        }
    }

    /// <summary>
    /// Starts planning a chunk whose keys the store answered with <paramref name="stored"/>, read after
    /// every chunk of this transaction was written but the previous one (which this planner remembers).
    /// </summary>
    public void BeginChunk(StoredKeys stored)
    {
        (_previousMessages, _chunkMessages) = (_chunkMessages, _previousMessages);
        (_previousInstants, _chunkInstants) = (_chunkInstants, _previousInstants);
        _chunkMessages.Clear();
        _chunkInstants.Clear();
        stored.NextSessionId = Math.Max(stored.NextSessionId, _nextSessionId);
        stored.NextUserId = Math.Max(stored.NextUserId, _nextUserId);
        stored.NextArrival = Math.Max(stored.NextArrival, _nextArrival);
    }

    /// <summary>Remembers the ids the chunk handed out, for the next chunk, whose read does not see them yet.</summary>
    public void EndChunk(StoredKeys stored) =>
        (_nextSessionId, _nextUserId, _nextArrival) = (stored.NextSessionId, stored.NextUserId, stored.NextArrival);

    /// <summary>Decides one line: every check first, then the writes (into <paramref name="changes"/>, with ids taken from <paramref name="stored"/>).</summary>
    public (Outcome Outcome, string? Problem) Plan(InterchangeLine line, string? defaultAccount, StoredKeys stored, ImportChanges changes)
    {
        var accountName = line.Account ?? defaultAccount;
        if (accountName is null)
        {
            return (Outcome.Rejected, ImportReasons.NoAccount);
        }

        if (!_accountIds.TryGetValue(accountName, out var accountId))
        {
            return (Outcome.Rejected, ImportReasons.UnknownAccount(accountName));
        }

        var session = FindSession(stored, accountId, line.SessionId);
        var senderId = line.Sender is null ? null : FindUser(stored, accountId, line.Sender);

        // A sender who is no user yet cannot have sent a stored message.
        var senderMayBeStored = line.Sender is null || senderId is not null;
        if (line.MessageId is { } messageId)
        {
            var key = (accountId, messageId);
            if (_chunkMessages.TryGetValue(key, out var kept) || _previousMessages.TryGetValue(key, out kept) || stored.Messages.TryGetValue(key, out kept))
            {
                // Only session, instant, sender and text decide; type, name and participants are not compared.
                var difference =
                    kept.SessionId != session?.Id ? "session"
                    : kept.DateTimeMs != line.DateTimeMs ? "date_time"
                    : !senderMayBeStored || kept.SenderId != senderId ? "sender"
                    : !string.Equals(kept.Text, line.Text, StringComparison.Ordinal) ? "message"
                    : null;
                return difference is null
                    ? (Outcome.Duplicate, null)
                    : (Outcome.Rejected, ImportReasons.Conflict(messageId, difference));
            }
        }
        else if (session is not null && senderMayBeStored && HasSameMessage(stored, accountId, line, senderId))
        {
            return (Outcome.Duplicate, null);
        }

        // The first stored line fixes the type; a line stating none never changes it.
        var type = session?.Type ?? line.Type ?? ChatSessionTypes.Group;
        if (line.Type is not null && line.Type != type)
        {
            return (Outcome.Rejected, ImportReasons.TypeConflict(line.SessionId, type, line.Type));
        }

        // The participants and then the sender, indexed: most lines add nobody, and then nothing is allocated.
        List<string>? newParticipants = null;
        for (var i = 0; i <= line.Participants.Count; i++)
        {
            var email = i < line.Participants.Count ? line.Participants[i] : line.Sender;

            // Most lines repeat their session's participants: those known by e-mail cost no user lookup.
            if (email is null || (session is not null && session.MemberEmails.Contains(email)))
            {
                continue;
            }

            var userId = email == line.Sender ? senderId : FindUser(stored, accountId, email);
            if (userId is not null && session is not null && session.ParticipantIds.Contains(userId.Value))
            {
                session.MemberEmails.Add(email);
            }
            else if (newParticipants?.Contains(email) != true)
            {
                (newParticipants ??= []).Add(email);
            }
        }

        if (type == ChatSessionTypes.OneOnOne && newParticipants is not null)
        {
            var existing = session?.ParticipantIds.Count ?? 0;
            if (existing + newParticipants.Count > 2)
            {
                return (Outcome.Rejected, ImportReasons.ThirdParticipant(line.SessionId, newParticipants[Math.Max(0, 2 - existing)]));
            }
        }

        // Every check passed: now write. Group names only exist for groups (docs/api.md#listing-sessions-chatlist).
        if (session is null)
        {
            var groupName = type == ChatSessionTypes.Group ? line.GroupName ?? string.Empty : string.Empty;
            session = new BatchSession(stored.NextSessionId++, type, groupName, []);
            changes.Sessions.Add(new NewSession(session.Id, accountId, line.SessionId, type, groupName));
            _sessions[(accountId, line.SessionId)] = session;
        }
        else if (type == ChatSessionTypes.Group && line.GroupName is { } groupName && groupName != session.GroupName)
        {
            changes.GroupNames.Add((session.Id, groupName));
            session.GroupName = groupName;
        }

        if (line.Sender is not null)
        {
            senderId ??= GetOrCreateUser(stored, changes, accountId, line.Sender);
        }

        var arrival = stored.NextArrival++;
        changes.Messages.Add(new NewMessage(arrival, accountId, session.Id, line.MessageId, senderId, line.DateTimeMs, line.Text));
        if (line.MessageId is { } storedId)
        {
            _chunkMessages[(accountId, storedId)] = new MessageIdentity(session.Id, line.DateTimeMs, senderId, line.Text);
        }

        // Every stored message, with an id or not, is one that a later line without an id may repeat.
        var instant = (accountId, line.SessionId, line.DateTimeMs);
        if (!_chunkInstants.TryGetValue(instant, out var same))
        {
            // Most instants hold one message.
            _chunkInstants.Add(instant, same = new(1));
        }

        same.Add((senderId, line.Text));

        if (newParticipants is not null)
        {
            foreach (var email in newParticipants)
            {
                // Visible from this message's arrival on, so that earlier snapshots keep their membership (docs/api.md#snapshots).
                var userId = GetOrCreateUser(stored, changes, accountId, email);
                changes.Participants.Add(new NewParticipant(session.Id, userId, arrival));
                session.ParticipantIds.Add(userId);
                session.MemberEmails.Add(email);
            }
        }

        return (Outcome.Stored, null);
    }

    private bool HasSameMessage(StoredKeys stored, long accountId, InterchangeLine line, long? senderId)
    {
        var instant = (accountId, line.SessionId, line.DateTimeMs);
        return Holds(stored.Instants.GetValueOrDefault(instant))
            || Holds(_chunkInstants.GetValueOrDefault(instant))
            || Holds(_previousInstants.GetValueOrDefault(instant));

        bool Holds(List<(long? SenderId, string Text)>? messages)
        {
            if (messages is null)
            {
                return false;
            }

            // A loop, not List.Exists: its predicate would be allocated per line.
            foreach (var (storedSenderId, text) in messages)
            {
                if (storedSenderId == senderId && string.Equals(text, line.Text, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>
    /// The session as this transaction sees it, read once and then kept up to date here: reading a
    /// large group's participants for every line would dominate the import.
    /// </summary>
    private BatchSession? FindSession(StoredKeys stored, long accountId, string sessionId)
    {
        if (_sessions.TryGetValue((accountId, sessionId), out var known))
        {
            return known;
        }

        if (!stored.Sessions.TryGetValue((accountId, sessionId), out var read))
        {
            return null;
        }

        var session = new BatchSession(read.Id, read.Type, read.GroupName, [.. read.ParticipantIds]);
        _sessions[(accountId, sessionId)] = session;
        return session;
    }

    /// <summary>The user's id, without creating one: a duplicate or rejected line must change nothing.</summary>
    private long? FindUser(StoredKeys stored, long accountId, string email)
    {
        if (_userIds.TryGetValue((accountId, email), out var id))
        {
            return id;
        }

        if (!stored.Users.TryGetValue((accountId, email), out var found))
        {
            return null;
        }

        _userIds[(accountId, email)] = found;
        return found;
    }

    private long GetOrCreateUser(StoredKeys stored, ImportChanges changes, long accountId, string email)
    {
        if (FindUser(stored, accountId, email) is { } id)
        {
            return id;
        }

        id = stored.NextUserId++;
        changes.Users.Add(new NewUser(id, accountId, email));
        _userIds[(accountId, email)] = id;
        return id;
    }

    /// <summary>A session as the current transaction sees it.</summary>
    private sealed class BatchSession(long id, string type, string groupName, HashSet<long> participantIds)
    {
        public long Id { get; } = id;

        public string Type { get; } = type;

        public string GroupName { get; set; } = groupName;

        public HashSet<long> ParticipantIds { get; } = participantIds;

        /// <summary>E-mails of participants met by this transaction: a subset of <see cref="ParticipantIds"/>'s users.</summary>
        public HashSet<string> MemberEmails { get; } = new(StringComparer.Ordinal);
    }
}
