namespace ZoomChat.Server.Interchange;

/// <summary>The keys of an interchange line (docs/import-formats.md#the-interchange-format), in the order export writes them.</summary>
internal static class InterchangeFields
{
    public const string Account = "account";
    public const string SessionId = "session_id";
    public const string Type = "type";
    public const string GroupName = "group_name";
    public const string Participants = "participants";
    public const string MessageId = "message_id";
    public const string Sender = "sender";
    public const string DateTime = "date_time";
    public const string Message = "message";
}
