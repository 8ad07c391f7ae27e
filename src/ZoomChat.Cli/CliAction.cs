using System.CommandLine;

namespace ZoomChat.Cli;

/// <summary>What a command does, given its context and parsed arguments.</summary>
internal delegate Task CliAction(CliContext cli, ParseResult result, CancellationToken cancellationToken);

/// <summary>Wraps a <see cref="CliAction"/> so that its failures become one line and an exit code.</summary>
internal delegate Func<ParseResult, CancellationToken, Task<int>> CliRunner(CliAction action);
