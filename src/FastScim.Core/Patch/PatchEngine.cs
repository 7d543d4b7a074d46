using System.Text.Json.Nodes;
using FastScim.Core.Filtering;
using FastScim.Core.Protocol;
using FastScim.Core.Schema;

namespace FastScim.Core.Patch;

/// <summary>
/// Applies PATCH operations (RFC 7644 §3.5.2) to a resource held as a JSON DOM in the shape the
/// generated writer produces: core attributes at the top, each extension's attributes in an object
/// under its URN. Driven by the schema tables only. The engine checks paths, mutability and
/// structure; JSON value types are left to the generated reader the caller runs afterwards.
/// </summary>
/// <remarks>
/// Operations are applied in order to <c>resource</c> in place. A PATCH is atomic (§3.5.2: "if
/// any operation fails ... the resource SHALL NOT be modified"), so callers pass a deep clone and
/// discard it when this throws.
/// </remarks>
public static class PatchEngine
{
    public static void Apply(JsonObject resource, IReadOnlyList<PatchOperation> operations, ResourceSchema schema, PatchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(schema);
        var applier = new PatchApplier(resource, schema, options ?? PatchOptions.Default);
        for (var i = 0; i < operations.Count; i++)
        {
            var operation = operations[i];
            try
            {
                applier.Apply(operation);
            }
            catch (ScimException e)
            {
                // Say which operation failed: an IdP batch may carry hundreds.
                throw new ScimException(e.Status, e.ScimType, $"Operations[{i}] ({Describe(operation)}): {e.Detail}");
            }
        }
    }

    /// <summary>
    /// Applies <paramref name="operations"/> to a deep clone of <paramref name="stored"/> and
    /// returns the clone; <paramref name="stored"/> is never modified, so a failed PATCH leaves
    /// nothing behind (RFC 7644 §3.5.2: all operations apply or none).
    /// </summary>
    public static JsonObject ApplyToCopy(JsonObject stored, IReadOnlyList<PatchOperation> operations, ResourceSchema schema, PatchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var copy = stored.DeepClone().AsObject();
        Apply(copy, operations, schema, options);
        return copy;
    }

    private static string Describe(PatchOperation operation) =>
        operation.Op.ToString().ToLowerInvariant() + (operation.Path is null ? "" : " " + operation.Path);
}
