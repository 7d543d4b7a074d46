using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Channels;

namespace FastScim.Tests.Infrastructure;

/// <summary>
/// <c>fastscim serve</c> as a child process on 127.0.0.1 with an ephemeral port, so that a test
/// can kill it hard and start it again on the same data directory. <see cref="RunningServer"/>
/// hosts the server inside the test process, where nothing can die in the middle of a write.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private const string ServingPrefix = "FastScim is serving SCIM 2.0 on ";
    private const string TokenPrefix = "Bearer token:";

    // A cold `dotnet fastscim.dll` JITs the whole server; on a loaded 2-core machine that takes seconds.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _log;
    private readonly List<HttpClient> _clients = [];

    private ServerProcess(Process process, StringBuilder log, string origin, string? firstTenantToken)
    {
        _process = process;
        _log = log;
        Origin = origin;
        FirstTenantToken = firstTenantToken;
    }

    /// <summary>Scheme, host and port the server listens on, e.g. <c>http://127.0.0.1:40423</c>.</summary>
    public string Origin { get; }

    /// <summary>The token of the tenant 'default', printed only on the first start with an empty data directory.</summary>
    public string? FirstTenantToken { get; }

    /// <summary>What the server printed so far (standard output and error), for failure messages.</summary>
    public string Log
    {
        get
        {
            return Snapshot(_log);
        }
    }

    public string BaseUrl(string tenant = "default") => $"{Origin}/t/{tenant}/api/v1/scim/v2";

    /// <summary>
    /// Starts <c>fastscim serve</c> on <paramref name="dataDirectory"/> and waits until it prints
    /// where it listens (and, when <paramref name="firstStart"/>, the first tenant's token).
    /// </summary>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, bool firstStart)
    {
        var startInfo = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        // The project reference copies fastscim.dll with its runtimeconfig and deps next to the tests.
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "fastscim.dll"), "serve", "--urls", "http://127.0.0.1:0", "--data", dataDirectory })
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Settings of whoever runs the tests must not change what is started.
        foreach (var name in new[] { "FASTSCIM_URLS", "FASTSCIM_DATA", "FASTSCIM_TLS_CERT", "FASTSCIM_TLS_KEY", "FASTSCIM_PASSWORD_ITERATIONS" })
        {
            startInfo.Environment.Remove(name);
        }

        var lines = Channel.CreateUnbounded<string?>();
        var process = new Process { StartInfo = startInfo };
        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            Append(log, e.Data);
            lines.Writer.TryWrite(e.Data); // the server prints a few lines only: no need to stop
        };
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException("fastscim did not start.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        string? origin = null;
        string? token = null;
        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            while (origin is null || (firstStart && token is null))
            {
                // A null line is the end of standard output: the process exited.
                var line = await lines.Reader.ReadAsync(timeout.Token)
                    ?? throw new InvalidOperationException("fastscim exited before it was serving:\n" + Snapshot(log));
                if (line.StartsWith(ServingPrefix, StringComparison.Ordinal))
                {
                    origin = line[ServingPrefix.Length..].Split(',')[0].Trim().TrimEnd('/');
                }
                else if (line.TrimStart().StartsWith(TokenPrefix, StringComparison.Ordinal))
                {
                    token = line.TrimStart()[TokenPrefix.Length..].Trim();
                }
            }
        }
        catch (Exception failure) when (failure is OperationCanceledException or InvalidOperationException)
        {
            KillAndWait(process);
            process.Dispose();
            var reason = failure is OperationCanceledException ? $"fastscim was not serving after {StartTimeout.TotalSeconds} s:\n" + Snapshot(log) : failure.Message;
            throw new InvalidOperationException(reason, failure);
        }

        return new ServerProcess(process, log, origin, token);
    }

    /// <summary>A client for one tenant's base URL (a trailing slash, so relative paths append).</summary>
    public HttpClient Client(string token, TimeSpan timeout, string tenant = "default")
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl(tenant) + "/"), Timeout = timeout };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue(RunningServer.ScimMediaType));
        _clients.Add(client);
        return client;
    }

    /// <summary>
    /// SIGKILL, as a crash or the OOM killer would: no shutdown code runs, nothing is flushed or
    /// checkpointed. Returns the exit code (128 + 9 on Linux).
    /// </summary>
    public int KillHard()
    {
        KillAndWait(_process);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        KillAndWait(_process);
        _process.Dispose();
    }

    private static void KillAndWait(Process process)
    {
        if (!process.HasExited)
        {
            // On Unix this is SIGKILL; the tree in case the host ever starts the server as a child.
            process.Kill(entireProcessTree: true);
        }

        if (!process.WaitForExit(ExitTimeout))
        {
            throw new InvalidOperationException($"fastscim (pid {process.Id}) did not exit within {ExitTimeout.TotalSeconds} s of SIGKILL.");
        }
    }

    /// <summary>The <c>dotnet</c> host that runs these tests, so the server runs on the same runtime.</summary>
    private static string DotnetHost()
    {
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }

    private static void Append(StringBuilder log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder log)
    {
        lock (log)
        {
            return log.ToString();
        }
    }
}
