using System.CommandLine;
using FastScim.Server.Hosting;

namespace FastScim.Commands;

/// <summary><c>fastscim serve</c>: runs the server until SIGINT or SIGTERM.</summary>
internal static class ServeCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen, separated by ';' (default: $FASTSCIM_URLS, else http://127.0.0.1:8080).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FASTSCIM_URLS") is { Length: > 0 } value ? value : ScimServerOptions.DefaultUrl,
        };
        var data = CommonOptions.Data();
        var certificate = new Option<string?>("--tls-cert")
        {
            Description = "PEM certificate for https:// URLs (default: $FASTSCIM_TLS_CERT). HTTP/2 is negotiated there.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FASTSCIM_TLS_CERT"),
        };
        var key = new Option<string?>("--tls-key")
        {
            Description = "PEM private key of --tls-cert (default: $FASTSCIM_TLS_KEY).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FASTSCIM_TLS_KEY"),
        };
        var passwordIterations = new Option<int>("--password-iterations")
        {
            Description = "PBKDF2-HMAC-SHA256 iterations for new password hashes (default: $FASTSCIM_PASSWORD_ITERATIONS, else 600000, OWASP's figure).",
            DefaultValueFactory = _ => int.TryParse(Environment.GetEnvironmentVariable("FASTSCIM_PASSWORD_ITERATIONS"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
                ? value
                : Core.Security.PasswordHash.DefaultIterations,
        };
        passwordIterations.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < Core.Security.PasswordHash.MinimumIterations)
            {
                result.AddError($"--password-iterations must be at least {Core.Security.PasswordHash.MinimumIterations}.");
            }
        });
        var command = new Command("serve", "Start the SCIM server. On the first start with an empty data directory, creates the tenant 'default' and prints its token.")
        {
            urls,
            data,
            certificate,
            key,
            passwordIterations,
        };

        command.SetAction(async (parsed, cancellationToken) =>
        {
            var options = new ScimServerOptions
            {
                Urls = parsed.GetValue(urls)!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                DataDirectory = parsed.GetValue(data)!,
                CertificatePath = parsed.GetValue(certificate),
                CertificateKeyPath = parsed.GetValue(key),
                PasswordIterations = parsed.GetValue(passwordIterations),
            };

            ScimServer server;
            try
            {
                server = await ScimServer.StartAsync(options, error, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception failure) when (failure is InvalidOperationException or FormatException or IOException or System.Security.Cryptography.CryptographicException)
            {
                await error.WriteLineAsync("fastscim: " + failure.Message).ConfigureAwait(false);
                return 1;
            }

            await using (server.ConfigureAwait(false))
            {
                await output.WriteLineAsync($"FastScim is serving SCIM 2.0 on {string.Join(", ", server.Addresses)}").ConfigureAwait(false);
                await output.WriteLineAsync($"Data directory: {Path.GetFullPath(options.DataDirectory)}").ConfigureAwait(false);
                if (server.FirstTenantToken is { } token)
                {
                    await output.WriteLineAsync($"""

                        First start: created the tenant '{options.FirstTenant}'.
                          SCIM base URL: {server.BaseUrl(options.FirstTenant)}
                          Bearer token:  {token}
                        The token is shown only this once; keep it. More: 'fastscim token create {options.FirstTenant}'.

                        """).ConfigureAwait(false);
                }

                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    await output.WriteLineAsync("FastScim is stopping.").ConfigureAwait(false);
                }
            }

            return 0;
        });
        return command;
    }
}
