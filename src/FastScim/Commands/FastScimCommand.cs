using System.CommandLine;

namespace FastScim.Commands;

/// <summary>The <c>fastscim</c> command line: serve, tenant, token, import and export commands.</summary>
internal static class FastScimCommand
{
    /// <summary>Exit code for a command line that does not parse (unknown command or option).</summary>
    public const int UsageError = 2;

    /// <param name="args">The command line.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="errorIsTerminal">Whether standard error is a terminal (then import shows a progress bar there).</param>
    /// <param name="cancellationToken">Stops a running command.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, bool errorIsTerminal = false, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("FastScim: a multi-tenant SCIM 2.0 server (RFC 7643, RFC 7644) in one binary.");
        root.Subcommands.Add(ServeCommand.Create(output, error));
        root.Subcommands.Add(TenantCommand.Create(output, error));
        root.Subcommands.Add(TokenCommand.Create(output, error));
        root.Subcommands.Add(ImportCommand.Create(output, error, errorIsTerminal));
        root.Subcommands.Add(ExportCommand.Create(output, error));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync("fastscim: " + parseError.Message).ConfigureAwait(false);
            }

            await error.WriteLineAsync("Run 'fastscim --help' for usage.").ConfigureAwait(false);
            return UsageError;
        }

        var configuration = new InvocationConfiguration { Output = output, Error = error };
        return await parsed.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
