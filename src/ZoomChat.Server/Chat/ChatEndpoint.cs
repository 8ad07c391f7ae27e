namespace ZoomChat.Server.Chat;

/// <summary>The two endpoints of the v1 chat API.</summary>
internal enum ChatEndpoint
{
    List,
    Get,
}
