using System.Net.Sockets;
using FastScim.Server.Hosting;
using FastScim.Storage.Tenancy;

namespace FastScim.Administration;

/// <summary>Chooses how to administer a data directory: through its running server, or directly.</summary>
internal static class TenantAdministration
{
    /// <param name="dataDirectory">The data directory to administer.</param>
    /// <param name="errorLog">Where unexpected failures are logged when the work runs in this process (no server).</param>
    public static async Task<ITenantAdministration> ConnectAsync(string dataDirectory, TextWriter? errorLog = null)
    {
        dataDirectory = Path.GetFullPath(dataDirectory);
        var socket = DataDirectory.AdminSocket(dataDirectory);
        if (File.Exists(socket))
        {
            var remote = new RemoteTenantAdministration(socket);
            try
            {
                await remote.PingAsync().ConfigureAwait(false);
                return remote;
            }
            catch (Exception error) when (error is HttpRequestException or SocketException or IOException)
            {
                remote.Dispose();
            }
        }

        // No server answers: work on the files, holding the data directory's lock so that a
        // server cannot start on them meanwhile.
        var dataLock = DataDirectory.TryLock(dataDirectory)
            ?? throw new AdministrationException($"A FastScim server holds '{dataDirectory}' but does not answer on {socket}.");
        try
        {
            return new LocalTenantAdministration(dataLock, TenantRegistry.Open(dataDirectory), errorLog ?? TextWriter.Null);
        }
        catch
        {
            await dataLock.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
