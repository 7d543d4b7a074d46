using System.Text.Json;
using FastScim.Core.Protocol;

namespace FastScim.Core.Discovery;

/// <summary>
/// The service provider configuration (RFC 7643 §5), as advertised at /ServiceProviderConfig
/// (RFC 7644 §4). Every feature advertised here is served by this server.
/// </summary>
public static class ServiceProviderConfig
{
    public const int BulkMaxOperations = 1000;
    public const int BulkMaxPayloadSize = 1048576;
    public const string DocumentationUri = "https://github.com/fastscim/fastscim#readme";

    public static void Write(Utf8JsonWriter writer, string baseUrl)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("schemas"u8);
        writer.WriteStringValue(SchemaUrns.ServiceProviderConfig);
        writer.WriteEndArray();
        writer.WriteString("documentationUri"u8, DocumentationUri);

        WriteSupported(writer, "patch"u8, true);

        writer.WriteStartObject("bulk"u8);
        writer.WriteBoolean("supported"u8, true);
        writer.WriteNumber("maxOperations"u8, BulkMaxOperations);
        writer.WriteNumber("maxPayloadSize"u8, BulkMaxPayloadSize);
        writer.WriteEndObject();

        writer.WriteStartObject("filter"u8);
        writer.WriteBoolean("supported"u8, true);
        writer.WriteNumber("maxResults"u8, Paging.MaxResults);
        writer.WriteEndObject();

        WriteSupported(writer, "changePassword"u8, true);
        WriteSupported(writer, "sort"u8, true);
        WriteSupported(writer, "etag"u8, true);

        // RFC 9865 §4. Index paging stays the default (§2.4: existing clients expect it); no
        // cursorTimeout, because a cursor is a position, not server state, and never expires.
        writer.WriteStartObject("pagination"u8);
        writer.WriteBoolean("cursor"u8, true);
        writer.WriteBoolean("index"u8, true);
        writer.WriteString("defaultPaginationMethod"u8, "index"u8);
        writer.WriteNumber("defaultPageSize"u8, Paging.DefaultCount);
        writer.WriteNumber("maxPageSize"u8, Paging.MaxResults);
        writer.WriteEndObject();

        writer.WriteStartArray("authenticationSchemes"u8);
        writer.WriteStartObject();
        writer.WriteString("type"u8, "oauthbearertoken"u8);
        writer.WriteString("name"u8, "OAuth Bearer Token"u8);
        writer.WriteString("description"u8, "Authentication with a per-tenant bearer token (RFC 6750) issued by 'fastscim tenant create' or 'fastscim token create'."u8);
        writer.WriteString("specUri"u8, "https://www.rfc-editor.org/info/rfc6750"u8);
        writer.WriteString("documentationUri"u8, DocumentationUri);
        writer.WriteBoolean("primary"u8, true);
        writer.WriteEndObject();
        writer.WriteEndArray();

        writer.WriteStartObject("meta"u8);
        writer.WriteString("resourceType"u8, "ServiceProviderConfig"u8);
        writer.WriteString("location"u8, baseUrl + "/ServiceProviderConfig");
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteSupported(Utf8JsonWriter writer, ReadOnlySpan<byte> name, bool supported)
    {
        writer.WriteStartObject(name);
        writer.WriteBoolean("supported"u8, supported);
        writer.WriteEndObject();
    }
}
