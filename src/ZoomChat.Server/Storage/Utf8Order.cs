namespace ZoomChat.Server.Storage;

/// <summary>
/// Orders strings as SQLite's BINARY collation orders them, by their UTF-8 bytes: that is code point
/// order, which <see cref="string.CompareOrdinal(string, string)"/> is not (it puts characters beyond
/// U+FFFF, stored as surrogate pairs, before U+E000 to U+FFFF).
/// </summary>
internal static class Utf8Order
{
    public static int Compare(string a, string b)
    {
        var (x, y) = (a.EnumerateRunes(), b.EnumerateRunes());
        while (true)
        {
            var (moreX, moreY) = (x.MoveNext(), y.MoveNext());
            if (!moreX || !moreY)
            {
                return moreX.CompareTo(moreY);
            }

            var order = x.Current.Value.CompareTo(y.Current.Value);
            if (order != 0)
            {
                return order;
            }
        }
    }
}
