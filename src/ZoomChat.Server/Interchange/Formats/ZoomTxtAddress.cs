using System.Text.RegularExpressions;

namespace ZoomChat.Server.Interchange.Formats;

/// <summary>
/// Who wrote a message of a Zoom chat file and to whom, read from what stands between <c>From</c> and
/// the colon: <c>Name</c>, <c>Name to Everyone</c> (or another whole audience), or
/// <c>A to B(Direct Message)</c> / <c>A to B(Privately)</c> for a private message.
/// </summary>
/// <param name="Recipient">The other person of a private message; <see langword="null"/> for a message to the meeting.</param>
internal sealed partial record ZoomTxtAddress(string Sender, string? Recipient)
{
    /// <summary>
    /// Reads a head. A private one splits at its <c>to</c>: the one between double spaces when the file
    /// writes them (variants A and B), else the only one, else the first whose sender side
    /// <paramref name="isKnownName"/> (named in the people file or already seen as a sender), else the
    /// first whose recipient side is, else the first. <see langword="null"/> for a private message
    /// that names no recipient.
    /// </summary>
    public static ZoomTxtAddress? Read(string head, Func<string, bool> isKnownName)
    {
        var privately = PrivatePattern().Match(head);
        if (!privately.Success)
        {
            var toAudience = AudiencePattern().Match(head);
            return new ZoomTxtAddress((toAudience.Success ? toAudience.Groups["from"].Value : head).Trim(), null);
        }

        var pair = privately.Groups["pair"].Value;
        var wide = pair.IndexOf("  to  ", StringComparison.OrdinalIgnoreCase);
        if (wide > 0)
        {
            return Split(pair, wide, "  to  ".Length);
        }

        var splits = new List<int>();
        for (var at = pair.IndexOf(" to ", StringComparison.OrdinalIgnoreCase); at > 0; at = pair.IndexOf(" to ", at + 1, StringComparison.OrdinalIgnoreCase))
        {
            splits.Add(at);
        }

        if (splits.Count == 0)
        {
            return null;
        }

        var chosen = splits.FirstOrDefault(at => isKnownName(pair[..at]), -1);
        if (chosen < 0)
        {
            chosen = splits.FirstOrDefault(at => isKnownName(pair[(at + 4)..]), splits[0]);
        }

        return Split(pair, chosen, " to ".Length);
    }

    private static ZoomTxtAddress? Split(string pair, int at, int length)
    {
        var sender = pair[..at].Trim();
        var recipient = pair[(at + length)..].Trim();
        return sender.Length == 0 || recipient.Length == 0 ? null : new ZoomTxtAddress(sender, recipient);
    }

    [GeneratedRegex(@"^(?<pair>.+?)\s*\((?:Direct Message|Privately)\)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PrivatePattern();

    // The whole meeting, a webinar's audiences, the waiting room; with a note in brackets after it at most.
    [GeneratedRegex(
        @"^(?<from>.+)\s+to\s+(?:Everyone|Waiting Room Participants|Hosts and Panelists|All Panelists and Attendees|All Panelists|All Attendees)(?:\s*\([^)]*\))?\s*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AudiencePattern();
}
