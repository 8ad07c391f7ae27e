namespace ZoomChat.Server.Interchange.Formats;

/// <summary>
/// The flags of <c>zoomchat import</c> that formats other than NDJSON read, as given (docs/import-formats.md).
/// </summary>
/// <param name="SessionId"><c>--session-id</c>: the session of a zoom-txt file, or of zoom-report message bodies.</param>
/// <param name="GroupName"><c>--group-name</c>: the name of a zoom-txt file's session.</param>
/// <param name="Date"><c>--date</c>: the day (yyyy-MM-dd) of the first message of a zoom-txt file with times of day.</param>
/// <param name="TimeZone"><c>--timezone</c>: the IANA time zone of a zoom-txt file's times.</param>
/// <param name="Start"><c>--start</c>: the date-time a recording started, for a recording's chat.txt (elapsed times).</param>
/// <param name="People"><c>--people</c>: a CSV file of <c>name,email</c>.</param>
/// <param name="EmailDomain"><c>--email-domain</c>: the domain of e-mails made from display names.</param>
internal sealed record ImportOptions(
    string? SessionId = null,
    string? GroupName = null,
    string? Date = null,
    string? TimeZone = null,
    string? Start = null,
    string? People = null,
    string? EmailDomain = null)
{
    /// <summary>The flags that only zoom-txt reads, with their values.</summary>
    public IEnumerable<(string Flag, string? Value)> ZoomTxtFlags =>
    [
        ("--group-name", GroupName),
        ("--date", Date),
        ("--timezone", TimeZone),
        ("--start", Start),
        ("--people", People),
        ("--email-domain", EmailDomain),
    ];
}
