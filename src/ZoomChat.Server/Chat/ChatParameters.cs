using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace ZoomChat.Server.Chat;

/// <summary>
/// The parameters of one call, from the query string and the form body together (docs/api.md#transport):
/// empty occurrences are dropped, a parameter given twice is an error, and parameters
/// the endpoint does not define are ignored.
/// </summary>
internal sealed class ChatParameters
{
    public const string ApiKey = "api_key";
    public const string ApiSecret = "api_secret";
    public const string DataType = "data_type";
    public const string AccessToken = "access_token";
    public const string SessionId = "session_id";
    public const string Email = "email";
    public const string From = "from";
    public const string To = "to";
    public const string PageSize = "page_size";
    public const string NextPageToken = "next_page_token";

    /// <summary>The names of <c>chat/list</c>, in the order in which a doubled one is reported.</summary>
    public static readonly string[] ListNames = [DataType, ApiKey, ApiSecret, AccessToken, Email, From, To, PageSize, NextPageToken];

    /// <summary>The names of <c>chat/get</c>, in the order in which a doubled one is reported.</summary>
    public static readonly string[] GetNames = [DataType, ApiKey, ApiSecret, AccessToken, SessionId, From, To, PageSize, NextPageToken];

    private readonly Dictionary<string, string> _values;

    private ChatParameters(Dictionary<string, string> values, string? givenTwice)
    {
        _values = values;
        GivenTwice = givenTwice;
    }

    /// <summary>The first parameter given more than once, if any.</summary>
    public string? GivenTwice { get; }

    public string? this[string name] => _values.GetValueOrDefault(name);

    public static ChatParameters Read(IQueryCollection query, IFormCollection? form, IReadOnlyList<string> names)
    {
        var values = new Dictionary<string, string>(names.Count, StringComparer.Ordinal);
        string? givenTwice = null;
        foreach (var name in names)
        {
            string? value = null;
            var count = Collect(query[name], ref value) + (form is null ? 0 : Collect(form[name], ref value));
            if (count > 1)
            {
                givenTwice ??= name;
            }
            else if (value is not null)
            {
                values[name] = value;
            }
        }

        return new ChatParameters(values, givenTwice);
    }

    private static int Collect(StringValues occurrences, ref string? value)
    {
        var count = 0;
        foreach (var occurrence in occurrences)
        {
            if (!string.IsNullOrEmpty(occurrence))
            {
                value = occurrence;
                count++;
            }
        }

        return count;
    }
}
