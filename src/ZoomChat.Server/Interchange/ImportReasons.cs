namespace ZoomChat.Server.Interchange;

/// <summary>
/// Why an import rejects a line (docs/import-formats.md#the-interchange-format), in one place so that the wording stays
/// consistent. Echoed values are cut to 64 characters, as everywhere else (docs/api.md#errors).
/// </summary>
internal static class ImportReasons
{
    public const string NotAnObject = "line is not a JSON object";
    public const string BadText = "line holds a string that is not valid UTF-8 or UTF-16";
    public const string NoAccount = "account is missing and the import names no account";
    public const string EmptyParticipant = "participants must not hold an empty e-mail";
    public const string ParticipantsNotStrings = "participants must be an array of strings";

    public static string NotJson(long bytePosition) => $"line is not valid JSON (at byte {bytePosition + 1})";

    public static string TooLong(int maxBytes) => $"line is longer than {maxBytes} bytes";

    public static string GivenTwice(string field) => $"{field} is given more than once";

    public static string Required(string field) => $"{field} is required";

    public static string NotAString(string field) => $"{field} must be a string";

    public static string Empty(string field) => $"{field} must not be empty";

    public static string BadType(string type) => $"type must be Group or 1:1, not '{Echo(type)}'";

    public static string BadDateTime(string text) => $"date_time is not an ISO 8601 date-time: '{Echo(text)}'";

    public static string DateWithoutTime(string text) => $"date_time has no time of day: '{Echo(text)}'";

    public static string UnknownAccount(string account) => $"account '{Echo(account)}' does not exist";

    public static string Conflict(string messageId, string difference) =>
        $"message_id '{Echo(messageId)}' is already stored with a different {difference}";

    public static string TypeConflict(string sessionId, string storedType, string lineType) =>
        $"session '{Echo(sessionId)}' is {storedType}, this line says {lineType}";

    public static string ThirdParticipant(string sessionId, string email) =>
        $"session '{Echo(sessionId)}' is 1:1 and '{Echo(email)}' would be a third participant";

    /// <summary>The first 64 characters of a value, never ending in half a surrogate pair.</summary>
    public static string Echo(string value)
    {
        if (value.Length <= 64)
        {
            return value;
        }

        var length = char.IsHighSurrogate(value[63]) ? 63 : 64;
        return value[..length];
    }
}
