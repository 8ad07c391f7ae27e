namespace ZoomChat.Server.Interchange.Formats;

/// <summary>The formats <c>zoomchat import</c> reads (issue 4; docs/import-formats.md).</summary>
internal enum ImportFormat
{
    /// <summary>The interchange format, one JSON object per line (CONTRACT.md section 10).</summary>
    Ndjson,

    /// <summary>RFC 4180 CSV with a header row of interchange field names.</summary>
    Csv,

    /// <summary>A chat file saved by the Zoom client (variants A to E of ../shared/data/README.md).</summary>
    ZoomTxt,

    /// <summary>JSON bodies of Zoom's report API (<c>GET /report/chat/sessions</c>, <c>.../sessions/{sessionId}</c>).</summary>
    ZoomReport,

    /// <summary>A saved response of Zoom's v1 <c>chat/get</c>, pretty-printed or not (<see cref="ZoomV1Response"/>).</summary>
    ZoomV1,
}
