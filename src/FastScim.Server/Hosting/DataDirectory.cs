namespace FastScim.Server.Hosting;

/// <summary>The files a server keeps in its data directory, besides the storage's own.</summary>
public static class DataDirectory
{
    /// <summary>Held exclusively by the running server, or by a CLI command working on the files while no server runs.</summary>
    public static string LockFile(string dataDirectory) => Path.Combine(dataDirectory, "fastscim.lock");

    /// <summary>The Unix domain socket over which the CLI administers a running server.</summary>
    public static string AdminSocket(string dataDirectory) => Path.Combine(dataDirectory, "admin.sock");

    /// <summary>
    /// Takes the data directory's lock, or returns null when another process holds it. On Unix,
    /// .NET implements FileShare.None with an advisory flock, released by the kernel when the
    /// process dies — so a crashed server never leaves a stale lock behind.
    /// </summary>
    public static FileStream? TryLock(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        try
        {
            return new FileStream(LockFile(dataDirectory), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
