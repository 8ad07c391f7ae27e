namespace ZoomChat.Client.Wire;

/// <summary>The values of <see cref="ChatSession.Type"/>.</summary>
public static class ChatSessionTypes
{
    /// <summary>A group chat.</summary>
    public const string Group = "Group";

    /// <summary>A chat between two people.</summary>
    public const string OneOnOne = "1:1";
}
