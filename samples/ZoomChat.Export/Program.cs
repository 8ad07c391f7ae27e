// zoomchat-export: writes one account's archived chats, as the v1 chat API serves them, to NDJSON.
//
//   ZOOMCHAT_API_KEY=... ZOOMCHAT_API_SECRET=... ZOOMCHAT_ACCESS_TOKEN=... \
//     dotnet run --project samples/ZoomChat.Export -- --base-address http://127.0.0.1:5080/ --from 2016-01-16 --to 2016-01-22 --output chats.ndjson
//
// Credentials come from the environment so that they stay out of the process list and shell history.
using ZoomChat.Export;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

return await ExportCommand.RunAsync(args, Environment.GetEnvironmentVariable, Console.Error, cancellationToken: cancel.Token);
