using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ZoomChat.Server.Interchange.Formats;

/// <summary>
/// The line that starts a message in a Zoom chat file: its time stamp, who wrote it (and to whom),
/// and, in variants A, B and D, the first line of the text.
/// </summary>
/// <param name="Head">What stands between <c>From</c> and the colon (variant D: the name).</param>
internal sealed partial record ZoomTxtHeader(ZoomTxtVariant Variant, DateOnly? Date, int Hours, int Minutes, int Seconds, string Head, string? Text)
{
    /// <summary>The variants in the order they are tried: A and B before C, whose header is an A line whose text ends in a colon.</summary>
    private static readonly ZoomTxtVariant[] Order = [ZoomTxtVariant.Dated, ZoomTxtVariant.Inline, ZoomTxtVariant.Indented, ZoomTxtVariant.Recording];

    public string TimeText => $"{Hours:00}:{Minutes:00}:{Seconds:00}";

    /// <summary>Whether the stamp is a time of day (anything but elapsed time may not pass 23:59:59).</summary>
    public bool HasValidTime => Minutes < 60 && Seconds < 60 && (Variant == ZoomTxtVariant.Recording || Hours < 24);

    /// <summary>
    /// Reads a header line: of <paramref name="variant"/> once the file's variant is known, else of
    /// the first variant whose pattern fits.
    /// </summary>
    public static bool TryRead(string line, ZoomTxtVariant? variant, [NotNullWhen(true)] out ZoomTxtHeader? header)
    {
        header = null;
        if (line.Length == 0 || !(char.IsAsciiDigit(line[0])))
        {
            return false;
        }

        foreach (var candidate in variant is { } known ? [known] : Order)
        {
            var match = PatternOf(candidate).Match(line);
            if (match.Success)
            {
                var date = match.Groups["date"] is { Success: true } d
                    ? DateOnly.TryParseExact(d.ValueSpan, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : (DateOnly?)null
                    : null;
                if (candidate == ZoomTxtVariant.Dated && date is null)
                {
                    return false;
                }

                header = new ZoomTxtHeader(
                    candidate,
                    date,
                    int.Parse(match.Groups["h"].ValueSpan, CultureInfo.InvariantCulture),
                    int.Parse(match.Groups["m"].ValueSpan, CultureInfo.InvariantCulture),
                    int.Parse(match.Groups["s"].ValueSpan, CultureInfo.InvariantCulture),
                    match.Groups["head"].Value,
                    match.Groups["text"] is { Success: true } text ? text.Value : candidate is ZoomTxtVariant.Inline or ZoomTxtVariant.Recording ? string.Empty : null);
                return true;
            }
        }

        return false;
    }

    private static Regex PatternOf(ZoomTxtVariant variant) => variant switch
    {
        ZoomTxtVariant.Inline => InlinePattern(),
        ZoomTxtVariant.Indented => IndentedPattern(),
        ZoomTxtVariant.Recording => RecordingPattern(),
        _ => DatedPattern(),
    };

    // A: "08:58:13\t From  Name : text"; B: "08:57:39 From  A  to  B(Direct Message) : text". The head
    // ends at the first " :", so that a colon in the text is kept.
    [GeneratedRegex(@"^(?<h>\d{1,2}):(?<m>\d\d):(?<s>\d\d)[\t ]+From[\t ]+(?<head>.+?) :(?: (?<text>.*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex InlinePattern();

    [GeneratedRegex(@"^(?<h>\d{1,2}):(?<m>\d\d):(?<s>\d\d) From (?<head>.+):[\t ]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IndentedPattern();

    [GeneratedRegex(@"^(?<h>\d{1,3}):(?<m>\d\d):(?<s>\d\d)\t(?<head>[^\t]+?):\t(?<text>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex RecordingPattern();

    [GeneratedRegex(@"^(?<date>\d{4}-\d\d-\d\d) (?<h>\d{1,2}):(?<m>\d\d):(?<s>\d\d) From (?<head>.+):[\t ]*$", RegexOptions.CultureInvariant)]
    private static partial Regex DatedPattern();
}
