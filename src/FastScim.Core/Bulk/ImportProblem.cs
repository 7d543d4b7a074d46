using System.Globalization;

namespace FastScim.Core.Bulk;

/// <summary>
/// Something of an import file that was not imported as the file has it: a resource that failed
/// or was skipped, a reference (member, manager) that was not kept. <paramref name="Status"/>,
/// <paramref name="ScimType"/> and <paramref name="Detail"/> are the server's SCIM error (RFC 7644
/// §3.12) when it refused; otherwise the status is null and the detail says why.
/// </summary>
public sealed record ImportProblem(string Subject, int? Status, string? ScimType, string Detail)
{
    public override string ToString()
    {
        var status = Status is { } code ? code.ToString(CultureInfo.InvariantCulture) + (ScimType is null ? "" : " " + ScimType) + ": " : "";
        return $"{Subject}: {status}{Detail}";
    }
}
