namespace FastScim.Core.Protocol;

/// <summary>
/// A request that cannot be served; carries what becomes the SCIM error response
/// (RFC 7644 §3.12): an HTTP status, an optional scimType and a human-readable detail.
/// </summary>
public sealed class ScimException : Exception
{
    public ScimException(int status, ScimType scimType, string detail)
        : base(detail)
    {
        Status = status;
        ScimType = scimType;
    }

    public ScimException()
        : this(500, ScimType.None, "Internal error.")
    {
    }

    public ScimException(string message)
        : this(400, ScimType.None, message)
    {
    }

    public ScimException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 400;
    }

    public int Status { get; }
    public ScimType ScimType { get; }
    public string Detail => Message;

    public static ScimException BadRequest(ScimType scimType, string detail) => new(400, scimType, detail);
}
