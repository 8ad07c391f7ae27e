using System.Text.Json;
using System.Text.RegularExpressions;

namespace ZoomChat.Cli;

/// <summary>A configuration file that cannot be read (appsettings.json), described in one line that names it.</summary>
internal static partial class ConfigurationFiles
{
    /// <param name="message">The configuration provider's message, which quotes the file: "Failed to load configuration from file '…'."</param>
    /// <param name="cause">What went wrong reading it.</param>
    public static string Describe(string message, Exception cause)
    {
        var file = QuotedPath().Match(message) is { Success: true } match ? match.Groups[1].Value : "appsettings.json";
        for (var inner = cause; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException { LineNumber: { } line, BytePositionInLine: { } position } json)
            {
                // System.Text.Json counts lines and bytes from 0; editors count from 1.
                var reason = json.Message.Split(" LineNumber:", 2)[0].TrimEnd();
                return $"{file}: not valid JSON at line {line + 1}, byte {position + 1}: {reason}";
            }
        }

        return $"{file}: {cause.Message}";
    }

    [GeneratedRegex("'(.+)'")]
    private static partial Regex QuotedPath();
}
