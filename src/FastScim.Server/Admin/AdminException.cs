namespace FastScim.Server.Admin;

/// <summary>An admin request that cannot be served, with the HTTP status to answer.</summary>
internal sealed class AdminException : Exception
{
    public AdminException(int status, string message)
        : base(message)
    {
        Status = status;
    }

    public AdminException()
    {
    }

    public AdminException(string message)
        : base(message)
    {
    }

    public AdminException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int Status { get; } = 400;
}
