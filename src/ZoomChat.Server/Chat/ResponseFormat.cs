namespace ZoomChat.Server.Chat;

/// <summary>The <c>data_type</c> of a call: JSON (the default) or XML.</summary>
internal enum ResponseFormat
{
    Json,
    Xml,
}
