using ZoomChat.Server.Storage;

namespace ZoomChat.Tests.Support;

internal static class ImportTransactionReads
{
    /// <summary>What the store holds for <paramref name="keys"/>, in a table of its own (the importer keeps one across chunks).</summary>
    public static async Task<StoredKeys> ReadStoredAsync(this IImportTransaction import, ImportKeys keys)
    {
        var stored = new StoredKeys();
        await import.ReadAsync(keys, stored, CancellationToken.None);
        return stored;
    }
}
