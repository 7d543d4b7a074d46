using FastScim.Core.Discovery;
using FastScim.Core.Protocol;
using FastScim.Core.Schema;
using FastScim.Server.Hosting;
using FastScim.Server.Io;

namespace FastScim.Server.Handlers;

/// <summary>RFC 7644 §4: service provider configuration endpoints, generated from schemas/.</summary>
internal static partial class ScimHandlers
{
    private static Task GetServiceProviderConfigAsync(ScimRequest request)
    {
        var body = JsonResponseBuffer.Rent();
        ServiceProviderConfig.Write(body.Writer, request.BaseUrl);
        return ScimResponse.SendAsync(request.Features, 200, body);
    }

    private static Task GetResourceTypesAsync(ScimRequest request)
    {
        var all = ScimSchemas.ResourceTypes;
        var body = JsonResponseBuffer.Rent();
        if (request.Route.HasId)
        {
            var resourceType = ResourceTypeDocument.Find(all, request.Id);
            if (resourceType is null)
            {
                body.Return();
                throw NotFound(request, "ResourceType");
            }

            ResourceTypeDocument.Write(body.Writer, resourceType, request.BaseUrl);
        }
        else
        {
            ListResponse.Write(body.Writer, all, all.Count, 1, request.BaseUrl, static (w, r, baseUrl) => ResourceTypeDocument.Write(w, r, baseUrl));
        }

        return ScimResponse.SendAsync(request.Features, 200, body);
    }

    private static Task GetSchemasAsync(ScimRequest request)
    {
        var all = ScimSchemas.All;
        var body = JsonResponseBuffer.Rent();
        if (request.Route.HasId)
        {
            var schema = SchemaDocument.Find(all, request.Id);
            if (schema is null)
            {
                body.Return();
                throw NotFound(request, "Schema");
            }

            SchemaDocument.Write(body.Writer, schema, request.BaseUrl);
        }
        else
        {
            ListResponse.Write(body.Writer, all, all.Count, 1, request.BaseUrl, static (w, s, baseUrl) => SchemaDocument.Write(w, s, baseUrl));
        }

        return ScimResponse.SendAsync(request.Features, 200, body);
    }
}
