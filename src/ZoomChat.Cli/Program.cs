using System.Runtime.InteropServices;
using ZoomChat.Cli;

// Ctrl+C (SIGINT) and SIGTERM cancel the command's token, so that an import commits its batch and says
// how far it got (docs/operations.md#import-and-export). Handled here, before the command starts:
// System.CommandLine 2.0.0 registers its handlers only once the command first yields, and a signal
// before that (an import whose awaits all completed at once) ended the process with nothing said.
using var stopping = new CancellationTokenSource();
var signalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

var command = ZoomChatCommandLine.RunAsync(args, Console.In, Console.Out, Console.Error, stopping.Token);
if (await Task.WhenAny(command, signalled.Task) != command
    && await Task.WhenAny(command, Task.Delay(ZoomChatCommandLine.StopTimeout)) != command)
{
    // Still running after the time it had to stop: left, with the exit code of a stopped command.
    return ZoomChatCommandLine.StoppedExitCode;
}

return await command;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    signalled.TrySetResult();
    stopping.Cancel();
}
