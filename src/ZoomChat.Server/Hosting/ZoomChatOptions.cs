using System.ComponentModel.DataAnnotations;

namespace ZoomChat.Server.Hosting;

/// <summary>
/// The server's settings, from the <c>zoomchat</c> command's flags or from configuration under
/// <c>ZoomChat</c> (appsettings.json, or environment variables such as <c>ZoomChat__RateLimits</c>).
/// docs/operations.md names each key.
/// </summary>
public sealed class ZoomChatOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "ZoomChat";

    /// <summary>The store used when none is named: a SQLite file under <c>./data/</c>.</summary>
    public const string DefaultStore = "data/zoomchat.db";

    /// <summary>The longest next_page_token lifetime, in seconds: a year.</summary>
    internal const int MaxPageTokenLifetimeSeconds = 31_536_000;

    // The words after a setting's key in a validation failure ("ZoomChat:RequestsPerSecond must be from 1 to 1000000").
    private const string RangeMessage = "must be from {1} to {2}";

    /// <summary>A SQLite file path or connection string.</summary>
    [Required(ErrorMessage = "must not be empty")]
    public string Store { get; set; } = DefaultStore;

    /// <summary>
    /// Streaming replicas of a PostgreSQL <see cref="Store"/> that serve the chat API's page reads
    /// (docs/operations.md#read-replicas); empty (the default) for none.
    /// </summary>
    public IList<string> ReadStore { get; set; } = [];

    /// <summary>Whether Zoom v1's rate limits apply (docs/api.md#rate-limits).</summary>
    public bool RateLimits { get; set; } = true;

    /// <summary>Requests per second per API key on all endpoints (Zoom v1: 10).</summary>
    [Range(1, 1_000_000, ErrorMessage = RangeMessage)]
    public int RequestsPerSecond { get; set; } = 10;

    /// <summary>Requests per second per API key on <c>/v1/chat/*</c> (Zoom v1: 1).</summary>
    [Range(1, 1_000_000, ErrorMessage = RangeMessage)]
    public int ChatRequestsPerSecond { get; set; } = 1;

    /// <summary>Requests per UTC day per API key on <c>/v1/chat/list</c> (Zoom v1: 2000).</summary>
    [Range(1, int.MaxValue, ErrorMessage = RangeMessage)]
    public int ChatListRequestsPerDay { get; set; } = 2000;

    /// <summary>The HTTP status of errors.</summary>
    public ErrorStatusMode ErrorStatus { get; set; } = ErrorStatusMode.Zoom;

    /// <summary>How long a next_page_token stays valid, in seconds (the seed's rule: 30 minutes).</summary>
    [Range(1, MaxPageTokenLifetimeSeconds, ErrorMessage = RangeMessage)]
    public int PageTokenLifetimeSeconds { get; set; } = 1800;

    /// <summary>The longest from–to range, in days; null (the default) for no limit.</summary>
    [Range(1, 3_650_000, ErrorMessage = RangeMessage)]
    public int? MaxRangeDays { get; set; }
}
