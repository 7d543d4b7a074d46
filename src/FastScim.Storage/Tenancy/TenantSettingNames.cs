namespace FastScim.Storage.Tenancy;

/// <summary>The names and values of tenant settings as the command line and the admin socket spell them.</summary>
public static class TenantSettingNames
{
    public const string GroupPatchResponse = "group-patch-response";

    public const string Compat = "compat";

    /// <summary><paramref name="settings"/> with one setting changed; <see cref="ArgumentException"/> names what is wrong.</summary>
    public static TenantSettings With(TenantSettings settings, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return name switch
        {
            GroupPatchResponse => value switch
            {
                "200" => settings with { GroupPatchNoContent = false },
                "204" => settings with { GroupPatchNoContent = true },
                _ => throw new ArgumentException($"'{value}' is not a value of {GroupPatchResponse}: use 200 (the group) or 204 (no content).", nameof(value)),
            },
            Compat => value switch
            {
                "lenient" => settings with { StrictCompatibility = false },
                "strict" => settings with { StrictCompatibility = true },
                _ => throw new ArgumentException($"'{value}' is not a value of {Compat}: use lenient (accept what identity providers send) or strict (RFC 7643/7644 only).", nameof(value)),
            },
            _ => throw new ArgumentException($"There is no tenant setting '{name}'; known: {GroupPatchResponse}, {Compat}.", nameof(name)),
        };
    }

    /// <summary>Every setting of <paramref name="settings"/> by name, as shown to operators.</summary>
    public static IReadOnlyDictionary<string, string> Describe(TenantSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [GroupPatchResponse] = settings.GroupPatchNoContent ? "204" : "200",
            [Compat] = settings.StrictCompatibility ? "strict" : "lenient",
        };
    }
}
