using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ZoomChat.Server.Interchange.Formats;

/// <summary>
/// Turns the display names of a Zoom chat file into e-mails (docs/import-formats.md#who-wrote-it): the
/// people file (<c>--people</c>, CSV <c>name,email</c>) first, else a name made from the display name
/// at the e-mail domain (<c>--email-domain</c>). Names are compared without regard to case, with
/// surrounding spaces removed and inner runs of white space read as one space.
/// </summary>
internal sealed partial class DisplayNameEmails
{
    private readonly Dictionary<string, string> _people;
    private readonly string? _domain;

    private DisplayNameEmails(Dictionary<string, string> people, string? domain)
    {
        _people = people;
        _domain = domain;
    }

    /// <summary>Whether the people file names <paramref name="displayName"/>.</summary>
    public bool Knows(string displayName) => _people.ContainsKey(Normalize(displayName));

    /// <exception cref="ImportFormatException">Neither is given, the domain is not one, or the people file is bad.</exception>
    public static async Task<DisplayNameEmails> CreateAsync(string? peopleFile, string? emailDomain, CancellationToken cancellationToken)
    {
        if (peopleFile is null && emailDomain is null)
        {
            throw new ImportFormatException(
                "a zoom-txt import needs --people FILE (CSV name,email) or --email-domain DOMAIN to turn display names into e-mails");
        }

        string? domain = null;
        if (emailDomain is not null)
        {
            domain = emailDomain.Trim().TrimStart('@').ToLowerInvariant();
            if (!DomainPattern().IsMatch(domain))
            {
                throw new ImportFormatException($"--email-domain must be a domain name such as example.com, not '{emailDomain}'");
            }
        }

        var people = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (peopleFile is not null)
        {
            try
            {
                await ReadPeopleAsync(peopleFile, people, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Named as the flag it came from; a folder is said to be one (Linux reports it as access denied).
                throw new ImportFormatException(Directory.Exists(peopleFile)
                    ? $"--people {peopleFile} is a folder, not a CSV file of name,email"
                    : $"--people {peopleFile} cannot be read: {e.Message}");
            }
        }

        return new DisplayNameEmails(people, domain);
    }

    /// <summary>The e-mail for a display name, or <see langword="null"/> when neither the people file nor a domain gives one.</summary>
    public string? Find(string displayName)
    {
        var name = Normalize(displayName);
        if (_people.TryGetValue(name, out var email))
        {
            return email;
        }

        return _domain is null ? null : $"{LocalPartOf(name)}@{_domain}";
    }

    /// <summary>
    /// The part before the <c>@</c>: the name in lower case, each run of characters that are neither
    /// letters nor digits (of any script) written as one dot, none at either end ("Ann Lee" gives
    /// <c>ann.lee</c>, "O'Brien, Pat (she/her)" <c>o.brien.pat.she.her</c>). Accents are kept: this
    /// build has no Unicode normalisation (InvariantGlobalization). A name with no letter or digit
    /// gives <c>user-</c> and the first 8 hex digits of the SHA-256 of its UTF-8 bytes.
    /// </summary>
    public static string LocalPartOf(string displayName)
    {
        var local = new StringBuilder();
        var separator = false;
        foreach (var rune in displayName.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                if (separator && local.Length > 0)
                {
                    local.Append('.');
                }

                local.Append(Rune.ToLowerInvariant(rune).ToString());
                separator = false;
            }
            else
            {
                separator = true;
            }
        }

        return local.Length > 0
            ? local.ToString()
            : "user-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(displayName)).AsSpan(0, 4));
    }

    /// <summary>A display name as it is compared: trimmed, inner white space one space.</summary>
    public static string Normalize(string displayName) => WhiteSpace().Replace(displayName.Trim(), " ");

    private static async Task ReadPeopleAsync(string path, Dictionary<string, string> people, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        using var text = CsvRecords.OpenText(file);
        var reader = new CsvReader(text);
        var first = true;
        while (await reader.ReadRecordAsync(cancellationToken))
        {
            if (reader.IsBlank)
            {
                continue;
            }

            var where = $"--people {path}, line {reader.LineNumber}";
            if (reader.Problem is { } problem)
            {
                throw new ImportFormatException($"{where}: {problem}");
            }

            if (reader.Fields.Count < 2)
            {
                throw new ImportFormatException($"{where}: expected name,email");
            }

            var name = Normalize(reader.Fields[0]);
            var email = reader.Fields[1].Trim().ToLowerInvariant();
            var isHeader = first && !email.Contains('@', StringComparison.Ordinal);
            first = false;
            if (isHeader)
            {
                continue;
            }

            if (name.Length == 0 || !EmailPattern().IsMatch(email))
            {
                throw new ImportFormatException($"{where}: expected a name and an e-mail, not '{reader.Fields[0]}', '{reader.Fields[1]}'");
            }

            if (people.TryGetValue(name, out var known) && known != email)
            {
                throw new ImportFormatException($"{where}: '{name}' is already given the e-mail {known}");
            }

            people[name] = email;
        }
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex(@"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$")]
    private static partial Regex DomainPattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+$")]
    private static partial Regex EmailPattern();
}
