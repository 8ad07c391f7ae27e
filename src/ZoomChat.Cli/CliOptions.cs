using System.CommandLine;
using System.Globalization;

namespace ZoomChat.Cli;

/// <summary>Options whose bad values are reported in the operator's terms: the flag and what it takes, never a .NET type.</summary>
internal static class CliOptions
{
    /// <summary>
    /// A whole number from <paramref name="min"/> to <paramref name="max"/>, or null when the flag is left out.
    /// Parsed here rather than by System.CommandLine, whose error names the type (<c>System.Nullable`1[System.Int64]</c>).
    /// </summary>
    /// <param name="takes">What the value is, for the error: "a number of seconds".</param>
    /// <param name="example">An example for the error, such as "30 days is 2592000", or null.</param>
    public static Option<long?> WholeNumber(string name, string description, long min, long max, string takes, string? example = null) =>
        new(name)
        {
            Description = description,
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[^1].Value;
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
                {
                    return value;
                }

                result.AddError($"{name} takes {takes} from {min} to {max}, not '{text}'{(example is null ? string.Empty : $" ({example})")}");
                return null;
            },
        };
}
