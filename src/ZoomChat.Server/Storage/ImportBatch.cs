namespace ZoomChat.Server.Storage;

/// <summary>
/// The keys a chunk of lines looks up, by name as the lines give them: account names, and per
/// account the sessions, users' e-mails and message ids, and the instants of the lines without a
/// <c>message_id</c> (whose duplicates are found by instant, sender and text).
/// </summary>
internal sealed class ImportKeys
{
    public HashSet<string> Accounts { get; } = new(StringComparer.Ordinal);

    public HashSet<(long AccountId, string SessionId)> Sessions { get; } = [];

    public HashSet<(long AccountId, string Email)> Users { get; } = [];

    /// <summary>
    /// With the text of the chunk's first line that gives the id: a store may compare it with the stored text
    /// and answer with this very string when they are equal (<see cref="MessageIdentity.Text"/>), rather
    /// than read the stored one back.
    /// </summary>
    public Dictionary<(long AccountId, string MessageId), string> MessageIds { get; } = [];

    /// <summary>The instants of lines without a <c>message_id</c>, in their sessions.</summary>
    public HashSet<(long AccountId, string SessionId, long DateTimeMs)> Instants { get; } = [];

    public bool IsEmpty => Accounts.Count == 0 && Sessions.Count == 0 && Users.Count == 0 && MessageIds.Count == 0 && Instants.Count == 0;

    public void Clear()
    {
        Accounts.Clear();
        Sessions.Clear();
        Users.Clear();
        MessageIds.Clear();
        Instants.Clear();
    }
}

/// <summary>What the store holds for a chunk's keys; a key it does not hold is absent.</summary>
internal sealed class StoredKeys
{
    public Dictionary<string, long> Accounts { get; } = new(StringComparer.Ordinal);

    public Dictionary<(long AccountId, string SessionId), ImportedSession> Sessions { get; } = [];

    public Dictionary<(long AccountId, string Email), long> Users { get; } = [];

    public Dictionary<(long AccountId, string MessageId), MessageIdentity> Messages { get; } = [];

    /// <summary>The senders and texts of the messages stored at each instant asked for.</summary>
    public Dictionary<(long AccountId, string SessionId, long DateTimeMs), List<(long? SenderId, string Text)>> Instants { get; } = [];

    /// <summary>The ids the next new session, user and message (its arrival number) take.</summary>
    public long NextSessionId { get; set; }

    public long NextUserId { get; set; }

    public long NextArrival { get; set; }

    public void Clear()
    {
        Accounts.Clear();
        Sessions.Clear();
        Users.Clear();
        Messages.Clear();
        Instants.Clear();
        (NextSessionId, NextUserId, NextArrival) = (0, 0, 0);
    }
}

/// <summary>
/// What a chunk writes, in arrival order, with the ids the planner gave new rows. A message is one
/// row today; live capture's versions, deletions and reactions will be rows of their own here, each
/// with its own arrival number.
/// </summary>
internal sealed class ImportChanges
{
    public List<NewSession> Sessions { get; } = [];

    public List<NewUser> Users { get; } = [];

    public List<(long SessionId, string GroupName)> GroupNames { get; } = [];

    public List<NewMessage> Messages { get; } = [];

    public List<NewParticipant> Participants { get; } = [];

    /// <summary>What the store made of these changes ahead of writing them (<see cref="IImportTransaction.Prepare"/>), for its own use.</summary>
    public object? Prepared { get; set; }

    public bool IsEmpty => Sessions.Count == 0 && Users.Count == 0 && GroupNames.Count == 0 && Messages.Count == 0 && Participants.Count == 0;

    public void Clear()
    {
        Sessions.Clear();
        Users.Clear();
        GroupNames.Clear();
        Messages.Clear();
        Participants.Clear();
        Prepared = null;
    }
}

internal readonly record struct NewSession(long Id, long AccountId, string PublicId, string Type, string GroupName);

internal readonly record struct NewUser(long Id, long AccountId, string Email);

internal readonly record struct NewMessage(long Arrival, long AccountId, long SessionId, string? MessageId, long? SenderId, long DateTimeMs, string Text);

/// <summary>A participant, visible to snapshots taken at or after <paramref name="SinceArrival"/> (docs/api.md#snapshots).</summary>
internal readonly record struct NewParticipant(long SessionId, long UserId, long SinceArrival);
