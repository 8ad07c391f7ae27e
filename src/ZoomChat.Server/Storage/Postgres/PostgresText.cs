namespace ZoomChat.Server.Storage.Postgres;

/// <summary>
/// Message text as PostgreSQL's <c>text</c> holds it: it takes any character but U+0000, which the
/// interchange format allows in a message (docs/compatibility.md#interchange-import-and-export). So
/// U+0000 is stored as U+FFFF '0', and U+FFFF (a noncharacter, next to never in chat text) as U+FFFF
/// U+FFFF; every other text is stored as it is, and reads give back exactly what was written.
/// </summary>
internal static class PostgresText
{
    private const char Escape = '\uFFFF';

    public static string Store(string text)
    {
        if (text.AsSpan().IndexOfAny('\0', Escape) < 0)
        {
            return text;
        }

        var stored = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\0' => stored.Append(Escape).Append('0'),
                Escape => stored.Append(Escape).Append(Escape),
                _ => stored.Append(c),
            };
        }

        return stored.ToString();
    }

    public static string Read(string stored)
    {
        if (!stored.Contains(Escape, StringComparison.Ordinal))
        {
            return stored;
        }

        var text = new System.Text.StringBuilder(stored.Length);
        for (var i = 0; i < stored.Length; i++)
        {
            if (stored[i] == Escape && i + 1 < stored.Length)
            {
                text.Append(stored[++i] == '0' ? '\0' : Escape);
            }
            else
            {
                text.Append(stored[i]);
            }
        }

        return text.ToString();
    }
}
