using System.Globalization;
using System.Text.RegularExpressions;

namespace ZoomChat.Server.Interchange.Formats;

/// <summary>The flags of a zoom-txt import, checked: each wrong one is said once, before anything is read.</summary>
internal sealed partial class ZoomTxtSettings
{
    private readonly bool _startReadsZone;

    private ZoomTxtSettings(ImportOptions options, DateOnly? date, TimeZoneInfo? zone, DateTimeOffset? start, DisplayNameEmails emails)
    {
        _startReadsZone = options.Start is { } startText && !StartPattern().Match(startText).Groups["zone"].Success;
        SessionId = options.SessionId;
        GroupName = options.GroupName;
        Date = date;
        TimeZone = zone;
        Start = start;
        Emails = emails;
    }

    private ZoomTxtSettings(ZoomTxtSettings settings, DateOnly date)
    {
        _startReadsZone = settings._startReadsZone;
        SessionId = settings.SessionId;
        GroupName = settings.GroupName;
        Date = date;
        TimeZone = settings.TimeZone;
        Start = settings.Start;
        Emails = settings.Emails;
    }

    public string? SessionId { get; }

    public string? GroupName { get; }

    public DateOnly? Date { get; }

    public TimeZoneInfo? TimeZone { get; }

    /// <summary>When the recording started (<c>--start</c>, placed in <c>--timezone</c> when it has no offset).</summary>
    public DateTimeOffset? Start { get; }

    public DisplayNameEmails Emails { get; }

    /// <exception cref="ImportFormatException">A flag is malformed, or display names cannot become e-mails.</exception>
    public static async Task<ZoomTxtSettings> CreateAsync(ImportOptions options, CancellationToken cancellationToken)
    {
        if (options.SessionId is { } sessionId && string.IsNullOrWhiteSpace(sessionId))
        {
            throw new ImportFormatException("--session-id must not be empty");
        }

        DateOnly? date = null;
        if (options.Date is { } dateText)
        {
            date = DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                ? day
                : throw new ImportFormatException($"--date must be a date yyyy-MM-dd, not '{dateText}'");
        }

        var zone = options.TimeZone is { } zoneId ? FindTimeZone(zoneId) : null;
        DateTimeOffset? start = null;
        if (options.Start is { } startText)
        {
            start = ReadStart(startText, zone);
        }

        var emails = await DisplayNameEmails.CreateAsync(options.People, options.EmailDomain, cancellationToken);
        return new ZoomTxtSettings(options, date, zone, start, emails);
    }

    /// <summary>
    /// The date of a meeting's folder, as the Zoom client names it (<c>yyyy-MM-dd HH.mm.ss Topic</c>,
    /// docs/import-formats.md#zoom-txt), if the file is in one.
    /// </summary>
    public static DateOnly? FolderDate(string path)
    {
        if (path == "-" || Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) is not { } folder)
        {
            return null;
        }

        var match = MeetingFolder().Match(folder);
        return match.Success && DateOnly.TryParseExact(match.Groups["date"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : null;
    }

    /// <summary>
    /// The settings of one file of times of day: <c>--date</c>, else the date of its meeting's folder.
    /// </summary>
    /// <exception cref="ImportFormatException"><c>--date</c> and the folder's date differ.</exception>
    public ZoomTxtSettings ForFile(string path)
    {
        var folderDate = FolderDate(path);
        if (Date is { } date && folderDate is { } named && named != date)
        {
            throw new ImportFormatException(
                $"--date {Text(date)}, but the folder it is in is dated {Text(named)} (Zoom names a meeting's folder yyyy-MM-dd HH.mm.ss Topic after its start): "
                + "leave --date out to read the folder's date");
        }

        return Date is null && folderDate is { } folderDay ? new ZoomTxtSettings(this, folderDay) : this;

        static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>The flags a file of this variant cannot do without.</summary>
    /// <exception cref="ImportFormatException">One is missing.</exception>
    public void CheckFor(ZoomTxtVariant variant)
    {
        switch (variant)
        {
            case ZoomTxtVariant.Recording when Start is null:
                throw new ImportFormatException(
                    "it is a recording's chat (times elapsed since the recording started): give --start, the date-time the recording started");
            case ZoomTxtVariant.Inline or ZoomTxtVariant.Indented when Date is null || TimeZone is null:
                throw new ImportFormatException(
                    "it holds times of day only: give --date (the day of its first message, yyyy-MM-dd) or keep it in the folder Zoom saved it in "
                    + "(yyyy-MM-dd HH.mm.ss Topic), and --timezone (IANA, such as Europe/Paris)");
            case ZoomTxtVariant.Dated when TimeZone is null:
                throw new ImportFormatException("its times are local: give --timezone (IANA, such as Europe/Paris)");
        }
    }

    /// <summary>
    /// A flag that no Zoom chat file of the command reads, in the layouts found: as a flag for another
    /// format does, it stops the command, since the times would not be what its user meant.
    /// </summary>
    /// <exception cref="ImportFormatException">The first such flag.</exception>
    public void CheckReadBy(IReadOnlyCollection<ZoomTxtVariant> variants)
    {
        var timesOfDay = variants.Any(v => v is ZoomTxtVariant.Inline or ZoomTxtVariant.Indented);
        var recording = variants.Contains(ZoomTxtVariant.Recording);
        if (Date is not null && !timesOfDay)
        {
            throw new ImportFormatException("--date is read by Zoom chat files of times of day only (layouts A, B and C), and no input is one");
        }

        if (Start is not null && !recording)
        {
            throw new ImportFormatException("--start is read by a recording's chat only (layout D, times elapsed since the start), and no input is one");
        }

        if (TimeZone is not null && !timesOfDay && !variants.Contains(ZoomTxtVariant.Dated) && !(recording && _startReadsZone))
        {
            throw new ImportFormatException("--timezone is read by no input: a recording's chat (layout D) takes its offset from --start");
        }
    }

    /// <summary>
    /// An IANA time zone from the system's zone data (tzdata on Linux). InvariantGlobalization does
    /// not matter here: only converting Windows ids needs ICU.
    /// </summary>
    private static TimeZoneInfo FindTimeZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            throw new ImportFormatException($"--timezone must be an IANA time zone such as Europe/Paris or UTC, not '{id}' ({e.Message})");
        }
    }

    private static DateTimeOffset ReadStart(string text, TimeZoneInfo? zone)
    {
        var match = StartPattern().Match(text);
        if (!match.Success
            || !DateTime.TryParseExact(
                match.Groups["local"].Value.Replace(' ', 'T'),
                ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF"],
                CultureInfo.InvariantCulture,
                DateTimeStyles.None,
                out var local))
        {
            throw new ImportFormatException($"--start must be a date-time such as 2024-03-01T10:00:00 or 2024-03-01T10:00:00+01:00, not '{text}'");
        }

        if (match.Groups["zone"] is { Success: true, Value: var designator })
        {
            var offset = designator is "Z" or "z"
                ? TimeSpan.Zero
                : TimeSpan.ParseExact(designator[1..].Replace(":", string.Empty, StringComparison.Ordinal), "hhmm", CultureInfo.InvariantCulture)
                    * (designator[0] == '-' ? -1 : 1);
            return new DateTimeOffset(local, offset);
        }

        if (zone is null)
        {
            throw new ImportFormatException($"--start '{text}' has no offset: add one (2024-03-01T10:00:00+01:00, or Z) or give --timezone");
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(ZoomTxtClock.InstantsOf(zone, local)[0]);
    }

    [GeneratedRegex(@"^(?<date>[0-9]{4}-[0-9]{2}-[0-9]{2}) [0-9]{2}\.[0-9]{2}\.[0-9]{2} ", RegexOptions.CultureInvariant)]
    private static partial Regex MeetingFolder();

    [GeneratedRegex(@"^(?<local>\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?)(?<zone>[Zz]|[+-]\d\d:?\d\d)?$", RegexOptions.CultureInvariant)]
    private static partial Regex StartPattern();
}
