using System.Text.Json.Nodes;
using FastScim.Core.Filtering;

namespace FastScim.Core.Patch;

/// <summary>
/// One element of "Operations" (RFC 7644 §3.5.2). <see cref="Value"/> is detached from the request
/// document; null means the client sent <c>"value": null</c> (or nothing, for <c>remove</c>).
/// </summary>
public sealed record PatchOperation(PatchOperationType Op, PatchPath? Path, JsonNode? Value);
