using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace FastScim.Server.Handlers;

/// <summary>Source-generated (AOT-safe) serialisation of the JSON DOM the PATCH engine works on.</summary>
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class JsonDomContext : JsonSerializerContext;
