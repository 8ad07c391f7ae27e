using System.Text;
using ZoomChat.Server.Interchange;
using static ZoomChat.Tests.Interchange.ArchiveLine;

namespace ZoomChat.Tests.Interchange;

/// <summary>
/// The importer reads a chunk's stored keys before the previous chunk of the same transaction is
/// written (docs/benchmarks.md#import): what an import decides must not depend on where chunks and
/// batches end (docs/import-formats.md#the-interchange-format).
/// </summary>
public sealed class ImportChunkingTests
{
    [Theory]
    [InlineData(1, ArchiveImporter.DefaultBatchSize)]
    [InlineData(2, ArchiveImporter.DefaultBatchSize)]
    [InlineData(3, 7)]
    [InlineData(1, 1)]
    public async Task An_import_decides_the_same_whatever_its_chunk_and_batch_sizes(int chunkSize, int batchSize)
    {
        var file = Encoding.UTF8.GetBytes(MixedFile());
        var expected = await ImportTwiceAsync(file, chunkSize: 1000, batchSize: ArchiveImporter.DefaultBatchSize);

        var actual = await ImportTwiceAsync(file, chunkSize, batchSize);

        Assert.True(expected.First.Stored > 100 && expected.First.Duplicates > 50 && expected.First.Rejected > 10, $"the file must mix every outcome: {expected.First}");
        Assert.Equal(expected.First, actual.First);
        Assert.Equal(expected.Again, actual.Again);
        Assert.Equal(expected.Problems, actual.Problems);
        Assert.Equal(expected.Export, actual.Export);
    }

    private static async Task<(ImportSummary First, ImportSummary Again, string[] Problems, string[] Export)> ImportTwiceAsync(
        byte[] file, int chunkSize, int batchSize)
    {
        await using var archive = await InterchangeStore.CreateAsync();
        var first = await ImportAsync(archive, file, chunkSize, batchSize);
        var again = await ImportAsync(archive, file, chunkSize, batchSize);
        var problems = archive.Problems.Select(p => $"{p.LineNumber}: {p.Reason}").ToArray();
        return (first, again, problems, await archive.ExportLinesAsync());
    }

    private static async Task<ImportSummary> ImportAsync(InterchangeStore archive, byte[] file, int chunkSize, int batchSize)
    {
        using var stream = new MemoryStream(file);
        return await new ArchiveImporter(archive.Store, batchSize, maxChunkSize: chunkSize)
            .ImportAsync(stream, InterchangeStore.Account, null, archive.Problems.Add, CancellationToken.None);
    }

    /// <summary>
    /// Lines that repeat, contradict and extend each other a few lines apart: lines repeated (duplicates),
    /// message ids and instants from small pools (conflicts, id-less duplicates), 1:1 sessions that meet
    /// third participants, new users, renamed groups, lines with and without ids.
    /// </summary>
    private static string MixedFile()
    {
        var random = new Random(13);
        var senders = new[] { "ann@acme.com", "bob@acme.com", "cy@acme.com", "dee@acme.com" };
        var lines = new List<string>();
        for (var i = 0; i < 400; i++)
        {
            if (lines.Count > 0 && random.Next(3) == 0)
            {
                lines.Add(lines[Math.Max(0, lines.Count - 1 - random.Next(8))]);
                continue;
            }

            var session = $"s-{random.Next(6)}";
            var oneOnOne = session is "s-0" or "s-1";
            lines.Add(Of(
                session: session,
                dateTime: $"2016-01-18T06:40:{random.Next(8):00}.000Z",
                message: $"text {random.Next(3)}",
                sender: random.Next(8) == 0 ? null : senders[random.Next(senders.Length)],
                id: random.Next(3) == 0 ? null : $"m-{random.Next(400)}",
                type: random.Next(4) == 0 ? null : oneOnOne ? "1:1" : "Group",
                group: oneOnOne || random.Next(3) > 0 ? null : $"Group {random.Next(3)}",
                participants: random.Next(3) == 0 ? [senders[random.Next(senders.Length)]] : null));
        }

        return File([.. lines]);
    }
}
