using FastScim.Commands;

return await FastScimCommand.RunAsync(args, Console.Out, Console.Error, errorIsTerminal: !Console.IsErrorRedirected).ConfigureAwait(false);
