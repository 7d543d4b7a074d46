using System.CommandLine;

namespace FastScim.Commands;

internal static class CommonOptions
{
    /// <summary><c>--data DIR</c>, defaulting to <c>$FASTSCIM_DATA</c>, then <c>./data</c>.</summary>
    public static Option<string> Data() => new("--data")
    {
        Description = "The data directory (default: $FASTSCIM_DATA, else ./data).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FASTSCIM_DATA") is { Length: > 0 } data ? data : "./data",
    };

    public static Argument<string> TenantName() => new("NAME")
    {
        Description = "The tenant's name: lower-case letters, digits and '-', at most 63 characters.",
    };

    /// <summary><c>--tenant NAME</c>, required (import and export name the tenant by option, as the issue specifies).</summary>
    public static Option<string> Tenant() => new("--tenant")
    {
        Description = "The tenant's name.",
        HelpName = "NAME",
        Required = true,
    };
}
