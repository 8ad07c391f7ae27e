namespace ZoomChat.Server.Interchange.Formats;

/// <summary>The formats <c>zoomchat import</c> reads (docs/import-formats.md).</summary>
internal enum ImportFormat
{
    /// <summary>The interchange format, one JSON object per line (docs/import-formats.md#the-interchange-format).</summary>
    Ndjson,

    /// <summary>RFC 4180 CSV with a header row of interchange field names.</summary>
    Csv,

    /// <summary>A chat file saved by the Zoom client (variants A to E of docs/import-formats.md#zoom-txt).</summary>
    ZoomTxt,

    /// <summary>JSON bodies of Zoom's report API (<c>GET /report/chat/sessions</c>, <c>.../sessions/{sessionId}</c>).</summary>
    ZoomReport,

    /// <summary>A saved response of Zoom's v1 <c>chat/get</c>, pretty-printed or not (<see cref="ZoomV1Response"/>).</summary>
    ZoomV1,
}
