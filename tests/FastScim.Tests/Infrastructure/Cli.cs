using FastScim.Commands;

namespace FastScim.Tests.Infrastructure;

/// <summary>Runs the <c>fastscim</c> command line in-process, capturing its output and exit code.</summary>
public static class Cli
{
    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(errorIsTerminal: false, args);

    /// <summary>As <see cref="RunAsync(string[])"/>, telling the command whether standard error is a terminal.</summary>
    public static async Task<CliResult> RunAsync(bool errorIsTerminal, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await FastScimCommand.RunAsync(args, output, error, errorIsTerminal).ConfigureAwait(false);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }
}

public sealed record CliResult(int ExitCode, string Output, string Error)
{
    /// <summary>The last non-empty line of standard output (where a new token is printed alone).</summary>
    public string LastLine => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
}
