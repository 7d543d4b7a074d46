using System.Text.Json;

namespace FastScim.Tests.Infrastructure;

/// <summary>
/// Walks a whole JSON document for what identity providers' validators refuse: Entra's schema
/// discovery wants camelCase names and no null values (use-scim-to-provision-users-and-groups,
/// "/Schemas"). Each finding is its JSON path, so a failure names the place.
/// </summary>
public static class JsonShape
{
    /// <summary>Every place that holds a JSON null.</summary>
    public static List<string> Nulls(JsonElement root)
    {
        var found = new List<string>();
        Walk(root, "$", (path, element) =>
        {
            if (element.ValueKind == JsonValueKind.Null)
            {
                found.Add(path);
            }
        }, null);
        return found;
    }

    /// <summary>
    /// Every property name that is not camelCase: its first character must be a lower-case letter.
    /// Allowed besides: <c>$ref</c> (RFC 7643 §2.4), schema URNs used as keys (extension
    /// attributes, §3.3), and the ListResponse's <c>Resources</c>, which RFC 7644 §3.4.2 spells so.
    /// </summary>
    public static List<string> NonCamelCaseNames(JsonElement root)
    {
        var found = new List<string>();
        Walk(root, "$", null, (path, name) =>
        {
            if (name == "$ref" || name.StartsWith("urn:", StringComparison.Ordinal) || (name == "Resources" && path == "$"))
            {
                return;
            }

            if (name.Length == 0 || !char.IsAsciiLetterLower(name[0]) || name.Contains('_', StringComparison.Ordinal) || name.Contains('-', StringComparison.Ordinal))
            {
                found.Add(path + "." + name);
            }
        });
        return found;
    }

    private static void Walk(JsonElement element, string path, Action<string, JsonElement>? onValue, Action<string, string>? onName)
    {
        onValue?.Invoke(path, element);
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    onName?.Invoke(path, property.Name);
                    Walk(property.Value, path + "." + property.Name, onValue, onName);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, $"{path}[{index++}]", onValue, onName);
                }

                break;
        }
    }
}
