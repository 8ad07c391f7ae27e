using System.Text;

namespace ZoomChat.Server.Interchange.Formats;

/// <summary>
/// What one <c>zoomchat import</c> reads, in order (docs/import-formats.md): every input opened, its format told
/// (<c>--format</c>, else <see cref="ImportFormatDetector"/>) and checked against the flags before
/// anything is stored, so that a wrong flag or a file in the wrong format stops the command at once.
/// Files ending in <c>.gz</c> are read as gzip; <c>-</c> is standard input, and a pipe is read as it
/// is; a folder is a folder of report bodies. Every report body of the command is one step, read
/// where the first of them stands: its sessions, edits and deletions apply to the messages of the
/// others.
/// </summary>
internal sealed class ImportPlan : IAsyncDisposable
{
    private readonly List<ImportStep> _steps = [];
    private readonly List<string> _temporaryFiles = [];
    private readonly List<Stream> _streams = [];
    private readonly List<string> _skipped = [];

    private ImportPlan()
    {
    }

    public IReadOnlyList<ImportStep> Steps => _steps;

    /// <summary>The files of folders that are not read, each with why, for the command to say before it imports.</summary>
    public IReadOnlyList<string> Skipped => _skipped;

    /// <summary>Whether a step is a Zoom chat file, whose reactions the summary reports.</summary>
    public bool ReadsZoomTxt => _steps.Any(s => s.Format == ImportFormat.ZoomTxt);

    public long Reactions => _steps.Sum(s => s.Reactions);

    /// <summary>Whether a step reads Zoom report bodies, whose deleted and edited messages the summary reports.</summary>
    public bool ReadsZoomReport => _steps.Any(s => s.Format == ImportFormat.ZoomReport);

    public long DeletedMessages => _steps.Sum(s => s.DeletedMessages);

    public long EditedMessages => _steps.Sum(s => s.EditedMessages);

    /// <exception cref="ImportFormatException">An input cannot be imported as it stands; the message names it.</exception>
    /// <exception cref="IOException">An input cannot be read.</exception>
    public static async Task<ImportPlan> CreateAsync(
        IReadOnlyList<string> paths, ImportFormat? format, ImportOptions options, Func<Stream> standardInput, CancellationToken cancellationToken)
    {
        var plan = new ImportPlan();
        try
        {
            var inputs = new List<Input>();
            foreach (var path in paths)
            {
                inputs.Add(await plan.OpenAsync(path, format, standardInput, cancellationToken));
            }

            await plan.PlanAsync(inputs, options, cancellationToken);
            return plan;
        }
        catch
        {
            await plan.DisposeAsync();
            throw;
        }
    }

    /// <summary>A file's bytes, decompressed when its name ends in <c>.gz</c>.</summary>
    public static Stream OpenFile(string path) => OpenFile(path, bytes: null);

    /// <param name="bytes">Counts the bytes read from the file itself (before decompression), when given.</param>
    private static Stream OpenFile(string path, InputBytes? bytes)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var gzip = IsGzip(path, file);
        Stream counted = bytes?.Count(file) ?? file;
        return gzip ? new GzipInput(path, counted) : counted;
    }

    /// <summary>An input's content: decompressed when it is gzip (<see cref="IsGzip"/>).</summary>
    private static Stream Content(string path, Stream stored) => IsGzip(path, stored) ? new GzipInput(path, stored) : stored;

    /// <summary>
    /// Whether a file is gzip: its name ends in <c>.gz</c>, or it starts with gzip's magic bytes 1F 8B
    /// (RFC 1952 section 2.3.1), whatever its name (<c>history.ndjson</c> saved compressed). A stream
    /// that cannot seek is looked at by <see cref="OpenOnceAsync"/> instead.
    /// </summary>
    private static bool IsGzip(string path, Stream stored)
    {
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!stored.CanSeek)
        {
            return false;
        }

        Span<byte> magic = stackalloc byte[2];
        var read = stored.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        stored.Seek(0, SeekOrigin.Begin);
        return read == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var stream in _streams)
        {
            await stream.DisposeAsync();
        }

        foreach (var path in _temporaryFiles)
        {
            File.Delete(path);
        }
    }

    private async Task<Input> OpenAsync(string path, ImportFormat? format, Func<Stream> standardInput, CancellationToken cancellationToken)
    {
        if (path == "-")
        {
            return await OpenOnceAsync(path, standardInput(), format, cancellationToken);
        }

        if (Directory.Exists(path))
        {
            if (format is not (null or ImportFormat.ZoomReport))
            {
                throw new ImportFormatException($"{path} is a folder: only --format {ImportFormats.ZoomReport} reads folders (of JSON bodies)");
            }

            var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
            bool IsBody(string f) => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json.gz", StringComparison.OrdinalIgnoreCase);
            _skipped.AddRange(files.Where(f => !IsBody(f)).Select(f => $"{f}: skipped, not a .json or .json.gz file (a folder is read for Zoom report bodies)"));
            var bodies = files.Where(IsBody).Select(Body).ToList();
            return bodies.Count > 0
                ? new Input(path, ImportFormat.ZoomReport, [], () => Stream.Null, bodies)
                : throw new ImportFormatException($"{path} is a folder without a .json file: nothing to import");
        }

        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        if (!file.CanSeek)
        {
            // A pipe (mkfifo, the shell's <(...)) gives its bytes once: it is read as standard input is.
            return await OpenOnceAsync(path, Content(path, file), format, cancellationToken);
        }

        // The size of what was opened: a symbolic link's target's, not the link's own.
        var size = file.Length;
        byte[] prefix;
        await using (var content = Content(path, file))
        {
            prefix = await ReadStartAsync(content, cancellationToken);
        }

        var fileFormat = format ?? ImportFormatDetector.Detect(prefix) ?? throw Unknown(path);
        var fileBytes = new InputBytes(size);
        return new Input(path, fileFormat, prefix, () => OpenFile(path, fileBytes), fileFormat == ImportFormat.ZoomReport ? [Body(path)] : null)
        {
            Bytes = fileBytes,
        };
    }

    /// <summary>
    /// An input that can be read only once (standard input, a pipe): its start is read for its format,
    /// then the rest follows it. A Zoom chat file is read twice (hashed, then parsed), so it is kept in a
    /// temporary file, never in memory; a report body is read whole anyway.
    /// </summary>
    private async Task<Input> OpenOnceAsync(string name, Stream stream, ImportFormat? format, CancellationToken cancellationToken)
    {
        if (stream is not GzipInput)
        {
            // Gzip told by its magic bytes, which are read and given back in front of the rest.
            var magic = new byte[2];
            var read = await stream.ReadAtLeastAsync(magic, 2, throwOnEndOfStream: false, cancellationToken);
            var given = new PrefixedStream(magic[..read], stream);
            stream = read == 2 && magic[0] == 0x1F && magic[1] == 0x8B ? new GzipInput(name, given) : given;
        }

        // NDJSON named by --format needs no look at its start: its first lines are imported as they come.
        var start = format == ImportFormat.Ndjson ? [] : await ReadStartAsync(stream, cancellationToken);
        var detected = format ?? ImportFormatDetector.Detect(start) ?? throw Unknown(name);
        switch (detected)
        {
            case ImportFormat.ZoomTxt:
                var copy = Path.GetTempFileName();
                _temporaryFiles.Add(copy);
                await using (var file = File.Create(copy))
                {
                    await file.WriteAsync(start, cancellationToken);
                    await stream.CopyToAsync(file, cancellationToken);
                }

                await stream.DisposeAsync();
                var copyBytes = new InputBytes(new FileInfo(copy).Length);
                return new Input(name, detected, start, () => OpenFile(copy, copyBytes), null) { Bytes = copyBytes };
            case ImportFormat.ZoomReport:
                using (var body = new MemoryStream())
                {
                    await body.WriteAsync(start, cancellationToken);
                    await stream.CopyToAsync(body, cancellationToken);
                    await stream.DisposeAsync();
                    var bytes = body.ToArray();
                    return new Input(name, detected, start, () => new MemoryStream(bytes), [new ZoomReportBody(name, _ => Task.FromResult(bytes))]);
                }

            default:
                var bytesRead = new InputBytes(length: null);
                var whole = bytesRead.Count(new PrefixedStream(start, stream));
                _streams.Add(whole);
                return new Input(name, detected, start, () => whole, null) { Bytes = bytesRead, ReadOnce = true };
        }
    }

    private async Task PlanAsync(List<Input> inputs, ImportOptions options, CancellationToken cancellationToken)
    {
        var readsZoomTxt = inputs.Any(i => i.Format == ImportFormat.ZoomTxt);
        if (!readsZoomTxt && options.ZoomTxtFlags.FirstOrDefault(f => f.Value is not null) is { Flag: { } flag })
        {
            throw new ImportFormatException($"{flag} is read by {ImportFormats.ZoomTxt} imports only, and no input is one");
        }

        if (options.SessionId is not null && !inputs.Any(i => i.Format is ImportFormat.ZoomTxt or ImportFormat.ZoomReport or ImportFormat.ZoomV1))
        {
            throw new ImportFormatException(
                $"--session-id is read by {ImportFormats.ZoomTxt}, {ImportFormats.ZoomReport} and {ImportFormats.ZoomV1} imports only, and no input is one");
        }

        var settings = readsZoomTxt ? await ZoomTxtSettings.CreateAsync(options, cancellationToken) : null;
        var variants = new List<ZoomTxtVariant>();
        var timesOfDay = new List<string>();
        List<ZoomReportBody>? reportBodies = null;
        foreach (var input in inputs)
        {
            switch (input.Format)
            {
                case ImportFormat.Ndjson:
                    _steps.Add(new ImportStep(input.Name, ImportFormat.Ndjson, token => ReadOpenedAsync(input, NdjsonRecords.ReadAsync, token))
                    {
                        Bytes = input.Bytes,
                    });
                    break;
                case ImportFormat.Csv:
                    await CheckCsvAsync(input, cancellationToken);
                    _steps.Add(new ImportStep(input.Name, ImportFormat.Csv, token => ReadOpenedAsync(input, (s, _, t) => CsvRecords.ReadAsync(s, t), token))
                    {
                        Bytes = input.Bytes,
                    });
                    break;
                case ImportFormat.ZoomTxt:
                    var variant = ZoomTxtImport.DetectVariant(Encoding.UTF8.GetString(input.Start))
                        ?? throw new ImportFormatException(
                            $"{input.Name}: no line of its start begins a Zoom chat message (HH:MM:SS From Name ..., or HH:MM:SS<tab>Name:<tab>text)");
                    var fileSettings = settings!;
                    try
                    {
                        if (variant is ZoomTxtVariant.Inline or ZoomTxtVariant.Indented)
                        {
                            fileSettings = fileSettings.ForFile(input.Name);
                            timesOfDay.Add(input.Name);
                        }

                        fileSettings.CheckFor(variant);
                    }
                    catch (ImportFormatException e)
                    {
                        throw new ImportFormatException($"{input.Name}: {e.Message}");
                    }

                    variants.Add(variant);
                    _steps.Add(new ImportStep(input.Name, new ZoomTxtImport(fileSettings, input.Name, input.Open)) { Bytes = input.Bytes });
                    break;
                case ImportFormat.ZoomV1:
                    if (ImportFormatDetector.IsChatListResponse(input.Start))
                    {
                        throw new ImportFormatException(
                            $"{input.Name} is a saved chat/list response: it lists sessions, not their messages; import the chat/get response of each session");
                    }

                    _steps.Add(new ImportStep(input.Name, ImportFormat.ZoomV1, token => ZoomV1Response.ReadAsync(input.Open, options.SessionId, token))
                    {
                        Bytes = input.Bytes,
                    });
                    break;
                default:
                    if (reportBodies is null)
                    {
                        reportBodies = [];
                        _steps.Add(new ImportStep(input.Name, new ZoomReportImport(reportBodies, options.SessionId)));
                    }

                    reportBodies.AddRange(input.ReportBodies!);
                    break;
            }
        }

        settings?.CheckReadBy(variants);
        if (options.Date is not null && timesOfDay.Count > 1)
        {
            // One day for several meetings would date all but one of them wrongly, and a message once
            // stored cannot be stored again on another day (docs/import-formats.md#zoom-txt).
            throw new ImportFormatException(
                $"--date gives one day to {timesOfDay.Count} chat files of times of day ({string.Join(", ", timesOfDay)}): import each with its own --date, "
                + "or leave --date out and keep each in the folder Zoom saved it in (yyyy-MM-dd HH.mm.ss Topic), whose name gives its date");
        }
    }

    /// <summary>A CSV input's header, checked before any input is imported.</summary>
    private static async Task CheckCsvAsync(Input input, CancellationToken cancellationToken)
    {
        try
        {
            // An input read once: its start stands for it.
            await using var csv = input.ReadOnce ? new MemoryStream(input.Start) : input.Open();
            await CsvRecords.CheckHeaderAsync(csv, cancellationToken);
        }
        catch (ImportFormatException e)
        {
            throw new ImportFormatException($"{input.Name} is not CSV that can be imported: {e.Message}");
        }
    }

    private static async IAsyncEnumerable<ImportRecord> ReadOpenedAsync(
        Input input,
        Func<Stream, int, CancellationToken, IAsyncEnumerable<ImportRecord>> read,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = input.Open();
        try
        {
            await foreach (var record in read(stream, NdjsonLineReader.DefaultMaxLineBytes, cancellationToken))
            {
                yield return record;
            }
        }
        finally
        {
            // An input read once belongs to the plan, which disposes it.
            if (!input.ReadOnce)
            {
                await stream.DisposeAsync();
            }
        }
    }

    private static ZoomReportBody Body(string path) => new(path, async cancellationToken =>
    {
        await using var stream = OpenFile(path);
        using var bytes = new MemoryStream();
        await stream.CopyToAsync(bytes, cancellationToken);
        return bytes.ToArray();
    });

    private static async Task<byte[]> ReadStartAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[ImportFormatDetector.PrefixBytes];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        return buffer[..length];
    }

    private static ImportFormatException Unknown(string path) =>
        new($"cannot tell the format of {path} (not NDJSON, not CSV with the columns session_id, date_time and message, "
            + "not a Zoom chat file, not a Zoom report body): name it with --format ndjson|csv|zoom-txt|zoom-report");

    /// <param name="Start">The first bytes, for detection and checks.</param>
    private sealed record Input(string Name, ImportFormat Format, byte[] Start, Func<Stream> Open, List<ZoomReportBody>? ReportBodies)
    {
        /// <summary>How far into the input the import is; null for report bodies, which are read whole.</summary>
        public InputBytes? Bytes { get; init; }

        /// <summary>Whether the input gives its bytes once (standard input, a pipe): it is opened once, by the plan.</summary>
        public bool ReadOnce { get; init; }
    }
}
