namespace ZoomChat.Server.Interchange.Formats;

/// <summary>The layouts of the chat files the Zoom client saves, as docs/import-formats.md#zoom-txt names them.</summary>
internal enum ZoomTxtVariant
{
    /// <summary>A and B: <c>HH:MM:SS[\t] From  Name[  to  X] : text</c>, header and text on one line.</summary>
    Inline,

    /// <summary>C: <c>HH:MM:SS From Name To Everyone:</c>, then the message on tab-indented lines.</summary>
    Indented,

    /// <summary>D, a cloud recording's <c>chat.txt</c>: <c>HH:MM:SS\tName:\ttext</c>, times elapsed since the recording started.</summary>
    Recording,

    /// <summary>E: <c>yyyy-MM-dd HH:mm:ss From Name to Everyone:</c>, tab-indented lines, reactions on the line after.</summary>
    Dated,
}
