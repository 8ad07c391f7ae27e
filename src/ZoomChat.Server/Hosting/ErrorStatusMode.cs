namespace ZoomChat.Server.Hosting;

/// <summary>Which HTTP status an error carries (docs/api.md#errors).</summary>
public enum ErrorStatusMode
{
    /// <summary>HTTP 200 with the error envelope, as Zoom v1 documented (the default).</summary>
    Zoom,

    /// <summary>HTTP semantics: 400, 401, 404 and 429.</summary>
    Http,
}
