using ZoomChat.Cli;

return await ZoomChatCommandLine.RunAsync(args, Console.In, Console.Out, Console.Error);
