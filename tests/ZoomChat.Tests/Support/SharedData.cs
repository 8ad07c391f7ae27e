using Xunit.Abstractions;

namespace ZoomChat.Tests.Support;

/// <summary>
/// The real data sets in ../shared/data (see its README), found by walking up from the test binaries.
/// Absent data ends the test with a message on a developer's machine, and fails it in CI (CI=true),
/// so that CI never passes silently.
/// </summary>
internal static class SharedData
{
    /// <summary>The full path of a file or folder of the shared data, or <see langword="null"/> when the data is absent.</summary>
    public static string? Find(string relativePath, ITestOutputHelper output)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var data = Path.Combine(folder.FullName, "shared", "data");
            if (Directory.Exists(data))
            {
                var path = Path.Combine(data, relativePath);
                Assert.True(File.Exists(path) || Directory.Exists(path), $"{path} is missing from the shared data.");
                return path;
            }
        }

        var message = $"No shared/data folder above {AppContext.BaseDirectory}: the real-data test did not run.";
        Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), message);
        output.WriteLine(message);
        return null;
    }
}
