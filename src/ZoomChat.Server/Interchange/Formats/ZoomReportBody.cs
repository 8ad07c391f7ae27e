namespace ZoomChat.Server.Interchange.Formats;

/// <summary>One saved JSON body of Zoom's report API: where it came from, and how to read its bytes.</summary>
/// <param name="Name">The path as the user gave it (or under the folder they gave); problems name it, and a session id in it ties its messages to that session.</param>
internal sealed record ZoomReportBody(string Name, Func<CancellationToken, Task<byte[]>> ReadAsync);
