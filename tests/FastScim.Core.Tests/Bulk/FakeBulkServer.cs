using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FastScim.Core.Bulk;

namespace FastScim.Core.Tests.Bulk;

/// <summary>
/// Answers an import's BulkRequests as a service provider would (RFC 7644 §3.7): parses each
/// with <see cref="BulkRequest.Parse"/> (so every chunk must be a valid BulkRequest within the
/// limits), substitutes bulkId references, keeps the created resources, applies the member and
/// manager PATCHes, and answers a BulkResponse. <see cref="Refuse"/> makes chosen POSTs fail.
/// </summary>
internal sealed class FakeBulkServer(int maxOperations = 1000, int maxPayloadSize = 1048576)
{
    private int _next;

    /// <summary>new id → (endpoint, the resource as stored).</summary>
    public Dictionary<string, (string Endpoint, JsonObject Data)> Resources { get; } = new(StringComparer.Ordinal);

    public List<BulkRequest> Requests { get; } = [];

    public List<int> BodySizes { get; } = [];

    /// <summary>A POST's data → its error (status, scimType, detail), or null to create it.</summary>
    public Func<JsonObject, (int Status, string? ScimType, string Detail)?> Refuse { get; init; } = _ => null;

    /// <summary>Runs the whole import the way <c>fastscim import</c> does: declare all, Users, then Groups.</summary>
    public static FakeBulkServer Import(ImportPlan plan, IReadOnlyList<ImportResource> resources, FakeBulkServer? server = null)
    {
        server ??= new FakeBulkServer();
        foreach (var resource in resources)
        {
            plan.Declare(resource);
        }

        foreach (var kind in new[] { ImportKind.User, ImportKind.Group })
        {
            foreach (var resource in resources.Where(r => r.Kind == kind))
            {
                if (plan.Add(resource) is { } chunk)
                {
                    server.Send(plan, chunk);
                }
            }

            while (plan.Flush() is { } chunk)
            {
                server.Send(plan, chunk);
            }
        }

        plan.Finish();
        return server;
    }

    public void Send(ImportPlan plan, ImportChunk chunk)
    {
        plan.Record(chunk, Answer(chunk.Body.Span));
    }

    public JsonObject User(string userName) => Resources.Values.Single(r => r.Endpoint == "Users" && (string?)r.Data["userName"] == userName).Data;

    public JsonObject Group(string displayName) => Resources.Values.Single(r => r.Endpoint == "Groups" && (string?)r.Data["displayName"] == displayName).Data;

    public string IdOf(JsonObject resource) => Resources.Single(r => ReferenceEquals(r.Value.Data, resource)).Key;

    /// <summary>The member ids of a group, sorted.</summary>
    public static string[] MemberIds(JsonObject group) =>
        group["members"] is JsonArray members ? members.Select(m => (string)m!["value"]!).Order(StringComparer.Ordinal).ToArray() : [];

    private byte[] Answer(ReadOnlySpan<byte> body)
    {
        BodySizes.Add(body.Length);
        Assert.True(body.Length <= maxPayloadSize, $"A chunk of {body.Length} bytes passes maxPayloadSize {maxPayloadSize}.");
        var request = BulkRequest.Parse(body.ToArray(), maxOperations);
        Requests.Add(request);
        var created = new Dictionary<string, string>(StringComparer.Ordinal);
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("schemas");
            writer.WriteStringValue("urn:ietf:params:scim:api:messages:2.0:BulkResponse");
            writer.WriteEndArray();
            writer.WriteStartArray("Operations");
            foreach (var operation in request.Operations)
            {
                var data = (JsonObject)JsonNode.Parse(BulkReferences.Substitute(operation.Data, created).Span)!;
                var path = BulkReferences.Substitute(operation.Path, created)!;
                writer.WriteStartObject();
                writer.WriteString("method", operation.Method);
                writer.WriteString("bulkId", operation.BulkId);
                if (operation.Method == "POST" && Refuse(data) is { } refusal)
                {
                    writer.WriteString("status", refusal.Status.ToString(CultureInfo.InvariantCulture));
                    writer.WriteStartObject("response");
                    writer.WriteString("scimType", refusal.ScimType);
                    writer.WriteString("detail", refusal.Detail);
                    writer.WriteEndObject();
                }
                else if (operation.Method == "POST")
                {
                    var id = "new-" + (++_next).ToString(CultureInfo.InvariantCulture);
                    Assert.DoesNotContain("bulkId:", data.ToJsonString(), StringComparison.Ordinal);
                    Resources[id] = (path.Trim('/'), data);
                    created[operation.BulkId!] = id;
                    writer.WriteString("location", "https://example.com/v2" + path + "/" + id);
                    writer.WriteString("status", "201");
                }
                else
                {
                    Patch(path, data);
                    writer.WriteString("location", "https://example.com/v2" + path);
                    writer.WriteString("status", "200");
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }

    private void Patch(string path, JsonObject patch)
    {
        var target = Resources[path[(path.LastIndexOf('/') + 1)..]].Data;
        foreach (var operation in patch["Operations"]!.AsArray())
        {
            Assert.Equal("add", (string?)operation!["op"]);
            var attribute = (string)operation["path"]!;
            var value = operation["value"]!.DeepClone();
            if (attribute == "members")
            {
                var members = target["members"] as JsonArray ?? [];
                target["members"] = members;
                foreach (var member in value.AsArray())
                {
                    members.Add(member!.DeepClone());
                }
            }
            else
            {
                Assert.Equal(CircularReferences.ManagerPath, attribute);
                var extension = target[CircularReferences.EnterpriseUrn] as JsonObject ?? [];
                target[CircularReferences.EnterpriseUrn] = extension;
                extension["manager"] = value;
            }
        }
    }

    public static ImportResource Resource(string json, int index) =>
        ImportResource.Read(Encoding.UTF8.GetBytes(json), $"Resources[{index}]");
}
