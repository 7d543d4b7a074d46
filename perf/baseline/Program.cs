using System.Net;
using System.Runtime.InteropServices;
using FastScim.Baseline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// fastscim-baseline [--urls http://127.0.0.1:PORT]   (port 0 picks a free one; default 0)
// Prints "Now listening on: http://127.0.0.1:PORT" once bound; stops on SIGTERM or Ctrl-C.
if (!TryParsePort(args, out var port))
{
    await Console.Error.WriteLineAsync("usage: fastscim-baseline [--urls http://127.0.0.1:PORT]  (loopback only; port 0 picks a free one)").ConfigureAwait(false);
    return 2;
}

// Kestrel constructed directly, as src/FastScim.Server/Hosting/ScimServer.cs does: no host, no
// DI container on the request path, no logging, HTTP/1.1 on cleartext; Kestrel's own services
// (the socket transport with its pinned-block memory pool) composed as ASP.NET composes them.
var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
builder.WebHost.UseKestrelCore().UseSockets();
var options = new KestrelServerOptions
{
    AddServerHeader = false,
    ApplicationServices = builder.Build().Services,
};
options.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http1);
var transport = options.ApplicationServices.GetRequiredService<IConnectionListenerFactory>();
using var server = new KestrelServer(Options.Create(options), transport, NullLoggerFactory.Instance);

var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

await server.StartAsync(new BaselineApplication(), CancellationToken.None).ConfigureAwait(false);
foreach (var address in server.Features.GetRequiredFeature<IServerAddressesFeature>().Addresses)
{
    Console.WriteLine("Now listening on: " + address);
}

Console.Out.Flush();
await stop.Task.ConfigureAwait(false);
using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
{
    await server.StopAsync(timeout.Token).ConfigureAwait(false);
}

return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult();
}

static bool TryParsePort(string[] args, out int port)
{
    port = 0;
    if (args.Length == 0)
    {
        return true;
    }

    // Only http:// on the loopback address: the baseline is a measuring tool, never a listener
    // on the network.
    const string Prefix = "http://127.0.0.1:";
    return args.Length == 2 && args[0] == "--urls" && args[1].StartsWith(Prefix, StringComparison.Ordinal)
        && int.TryParse(args[1].AsSpan(Prefix.Length).TrimEnd('/'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port)
        && port is >= 0 and <= 65535;
}
