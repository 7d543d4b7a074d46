namespace FastScim.Tests.Infrastructure;

public static class TemporaryDirectory
{
    public static string Create()
    {
        var path = Path.Combine(Path.GetTempPath(), "fastscim-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is the test's failure to report, not the cleanup's.
        }
    }
}
