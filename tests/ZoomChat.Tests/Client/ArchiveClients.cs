using ZoomChat.Client;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Client;

/// <summary>Makes <see cref="ZoomChatClient"/>s that talk to a <see cref="TestArchive"/>'s in-process server.</summary>
internal static class ArchiveClients
{
    public static ZoomChatClientOptions ClientOptions(this TestArchive archive, TestCredentials credentials) => new()
    {
        BaseAddress = archive.Http.BaseAddress,
        ApiKey = credentials.ApiKey,
        ApiSecret = credentials.ApiSecret,
        AccessToken = credentials.AccessToken,
    };

    /// <summary>A standalone client on the archive's own HttpClient; its waits advance the archive's clock.</summary>
    public static ZoomChatClient Client(
        this TestArchive archive,
        TestCredentials credentials,
        Action<ZoomChatClientOptions>? configure = null,
        RecordingHandler? recorder = null,
        TimeProvider? time = null)
    {
        var options = archive.ClientOptions(credentials);
        configure?.Invoke(options);
        var http = recorder is null ? archive.Http : new HttpClient(recorder);
        return new ZoomChatClient(http, options, time ?? new SleepingClock(archive.Time));
    }

    /// <summary>A handler chain that records every answer and forwards to the archive.</summary>
    public static RecordingHandler Recorder(this TestArchive archive) => new(new ForwardingHandler(archive.Http));
}
