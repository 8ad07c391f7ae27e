using ZoomChat.Tests.Fuzzing;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Reliability;

/// <summary>Fills a <see cref="TestArchive"/>, whatever its store, with the fuzzed archive and takes its page tokens.</summary>
internal static class FuzzSeeding
{
    public static async Task<FuzzTarget> SeedAsync(TestArchive archive, bool httpErrorStatus)
    {
        var caller = await AccountAsync(archive, FuzzArchive.CallerAccount);
        var other = await AccountAsync(archive, FuzzArchive.OtherAccount);
        await using var connection = new FuzzConnection(archive.Address!, TimeSpan.FromSeconds(30));
        return await FuzzArchive.HarvestAsync(connection, caller, other, httpErrorStatus, CancellationToken.None);
    }

    private static async Task<FuzzCredentials> AccountAsync(TestArchive archive, string account)
    {
        var credentials = await archive.CreateAccountAsync(account, FuzzArchive.Viewer);
        await archive.ImportAsync(account, [.. FuzzArchive.Lines(account)]);
        return new FuzzCredentials(account, credentials.ApiKey, credentials.ApiSecret, credentials.AccessToken);
    }
}
