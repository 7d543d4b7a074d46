namespace FastScim.Administration;

/// <summary>An administration request that was refused; the message is for the operator.</summary>
internal sealed class AdministrationException : Exception
{
    public AdministrationException()
    {
    }

    public AdministrationException(string message)
        : base(message)
    {
    }

    public AdministrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
