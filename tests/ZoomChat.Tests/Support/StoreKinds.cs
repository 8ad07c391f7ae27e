using Xunit.Abstractions;
using Xunit.Sdk;
using ZoomChat.Server.Storage;

namespace ZoomChat.Tests.Support;

/// <summary>The stores a test body runs against: each <see cref="StoreFactAttribute"/> test runs once on each.</summary>
public enum StoreKind
{
    Sqlite,
    Postgres,
}

/// <summary>
/// The store kind of the running test (set by <see cref="StoreTestCase"/>), and a new empty store of
/// that kind: a SQLite file in a test's folder, or a database of its own on the run's
/// <see cref="PostgresServer"/>.
/// </summary>
internal static class TestStores
{
    private static readonly AsyncLocal<StoreKind?> CurrentKind = new();

    /// <summary>The kind the running test runs on; SQLite for a test that is not a store test.</summary>
    public static StoreKind Current
    {
        get => CurrentKind.Value ?? StoreKind.Sqlite;
        set => CurrentKind.Value = value;
    }

    /// <summary>
    /// The <c>--store</c> value of the folder's store: the file archive.db in <paramref name="folder"/>,
    /// or a new database with the schema, dropped when <paramref name="folder"/> is disposed.
    /// </summary>
    public static string Create(TempFolder folder)
    {
        if (folder.Store is { } store)
        {
            return store;
        }

        if (Current == StoreKind.Sqlite)
        {
            return folder.Store = Path.Combine(folder.Path, "archive.db");
        }

        var server = PostgresServer.Instance;
        var database = server.CreateDatabase();
        folder.OnDispose(() => server.DropDatabase(database));
        return folder.Store = server.Url(database);
    }

    /// <summary>Builds the store's chat/list index now, as a query with a newer mark would in the background.</summary>
    public static Task<ChatListIndex?> BuildListIndexNowAsync(IArchiveStore store) => store switch
    {
        Server.Storage.Sqlite.SqliteArchiveStore sqlite => sqlite.BuildListIndexNowAsync(CancellationToken.None),
        Server.Storage.Postgres.PostgresArchiveStore postgres => postgres.BuildListIndexNowAsync(CancellationToken.None),
        _ => throw new InvalidOperationException($"No chat/list index in {store.GetType().Name}."),
    };

    /// <summary>How zoomchat names a store in its messages: a SQLite file by its path, a database by its URL without the password.</summary>
    public static string Describe(string store) => store.StartsWith("postgres://", StringComparison.Ordinal) ? ArchiveStores.Open(store).Description : store;
}

/// <summary>A test that runs once per store kind (display name suffixed [sqlite] or [postgres]).</summary>
[XunitTestCaseDiscoverer("ZoomChat.Tests.Support.StoreFactDiscoverer", "ZoomChat.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>A theory whose every data row runs once per store kind.</summary>
[XunitTestCaseDiscoverer("ZoomChat.Tests.Support.StoreTheoryDiscoverer", "ZoomChat.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreTheoryAttribute : TheoryAttribute;

public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        Enum.GetValues<StoreKind>().Select(kind => (IXunitTestCase)new StoreTestCase(
            diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, kind));
}

public sealed class StoreTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    protected override IEnumerable<IXunitTestCase> CreateTestCasesForDataRow(
        ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute, object[] dataRow) =>
        Enum.GetValues<StoreKind>().Select(kind => (IXunitTestCase)new StoreTestCase(
            DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, kind, dataRow));

    protected override IEnumerable<IXunitTestCase> CreateTestCasesForTheory(
        ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        Enum.GetValues<StoreKind>().Select(kind => (IXunitTestCase)new StoreTheoryTestCase(
            DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, kind));
}

/// <summary>One test (or data row) on one store kind.</summary>
public sealed class StoreTestCase : XunitTestCase
{
    [Obsolete("For the deserializer only.", error: true)]
    public StoreTestCase()
    {
    }

    public StoreTestCase(
        IMessageSink diagnosticMessageSink,
        TestMethodDisplay defaultMethodDisplay,
        TestMethodDisplayOptions defaultMethodDisplayOptions,
        ITestMethod testMethod,
        StoreKind kind,
        object[]? testMethodArguments = null)
        : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod, testMethodArguments) => Kind = kind;

    public StoreKind Kind { get; private set; }

    public override void Serialize(IXunitSerializationInfo data)
    {
        data.AddValue(nameof(Kind), Kind.ToString());
        base.Serialize(data);
    }

    public override void Deserialize(IXunitSerializationInfo data)
    {
        Kind = Enum.Parse<StoreKind>(data.GetValue<string>(nameof(Kind)));
        base.Deserialize(data);
    }

    public override Task<RunSummary> RunAsync(
        IMessageSink diagnosticMessageSink, IMessageBus messageBus, object[] constructorArguments, ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource)
    {
        TestStores.Current = Kind;
        return base.RunAsync(diagnosticMessageSink, messageBus, constructorArguments, aggregator, cancellationTokenSource);
    }

    protected override string GetDisplayName(IAttributeInfo factAttribute, string displayName) =>
        $"{base.GetDisplayName(factAttribute, displayName)} [{Kind.ToString().ToLowerInvariant()}]";

    protected override string GetSkipReason(IAttributeInfo factAttribute) =>
        base.GetSkipReason(factAttribute) ?? (Kind == StoreKind.Postgres ? PostgresServer.SkipReason! : null!);

    protected override string GetUniqueID() => $"{base.GetUniqueID()}-{Kind}";
}

/// <summary>A theory whose data rows are found when it runs, on one store kind.</summary>
public sealed class StoreTheoryTestCase : XunitTheoryTestCase
{
    [Obsolete("For the deserializer only.", error: true)]
    public StoreTheoryTestCase()
    {
    }

    public StoreTheoryTestCase(
        IMessageSink diagnosticMessageSink, TestMethodDisplay defaultMethodDisplay, TestMethodDisplayOptions defaultMethodDisplayOptions, ITestMethod testMethod, StoreKind kind)
        : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod) => Kind = kind;

    public StoreKind Kind { get; private set; }

    public override void Serialize(IXunitSerializationInfo data)
    {
        data.AddValue(nameof(Kind), Kind.ToString());
        base.Serialize(data);
    }

    public override void Deserialize(IXunitSerializationInfo data)
    {
        Kind = Enum.Parse<StoreKind>(data.GetValue<string>(nameof(Kind)));
        base.Deserialize(data);
    }

    public override Task<RunSummary> RunAsync(
        IMessageSink diagnosticMessageSink, IMessageBus messageBus, object[] constructorArguments, ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource)
    {
        TestStores.Current = Kind;
        return base.RunAsync(diagnosticMessageSink, messageBus, constructorArguments, aggregator, cancellationTokenSource);
    }

    protected override string GetDisplayName(IAttributeInfo factAttribute, string displayName) =>
        $"{base.GetDisplayName(factAttribute, displayName)} [{Kind.ToString().ToLowerInvariant()}]";

    protected override string GetSkipReason(IAttributeInfo factAttribute) =>
        base.GetSkipReason(factAttribute) ?? (Kind == StoreKind.Postgres ? PostgresServer.SkipReason! : null!);

    protected override string GetUniqueID() => $"{base.GetUniqueID()}-{Kind}";
}

/// <summary>A test of what only the PostgreSQL store has (its writers' lock, its URLs): run on PostgreSQL only.</summary>
[XunitTestCaseDiscoverer("ZoomChat.Tests.Support.PostgresFactDiscoverer", "ZoomChat.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute;

public sealed class PostgresFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        [new StoreTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, StoreKind.Postgres)];
}
