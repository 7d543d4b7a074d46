using FastScim.Commands;

return await FastScimCommand.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
