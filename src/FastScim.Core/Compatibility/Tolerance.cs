namespace FastScim.Core.Compatibility;

/// <summary>
/// Where SCIM code accepts a non-RFC shape it says so with <see cref="Use"/>. The request being
/// served (an ambient <see cref="ToleranceContext"/> that flows with its async calls, and onto the
/// tenant's writer thread with the write it queues) decides: the strict profile throws the RFC's
/// 400, the lenient one records that the rule fired. Without a context (library use, tests of
/// pure SCIM rules) every rule applies silently, as in the lenient profile.
/// </summary>
public static class Tolerance
{
    private static readonly AsyncLocal<ToleranceContext?> CurrentContext = new();

    /// <summary>The context of the request this code runs for, if any.</summary>
    public static ToleranceContext? Current
    {
        get => CurrentContext.Value;
        set => CurrentContext.Value = value;
    }

    /// <summary>Applies <paramref name="rules"/> (one or several flags) for the current request.</summary>
    /// <exception cref="Protocol.ScimException">400 with the RFC's scimType when the profile is strict.</exception>
    public static void Use(ToleranceRule rules)
    {
        if (rules != ToleranceRule.None && CurrentContext.Value is { } context)
        {
            context.Use(rules);
        }
    }
}
