using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FastScim.Core.Patch;
using FastScim.Core.Protocol;
using FastScim.Core.Resources;

namespace FastScim.Core.Tests.Patch;

/// <summary>The RFC 7643 §8.2 full user (with the §4.3 enterprise extension) and §8.4 group, stored the way the server stores them.</summary>
internal static class PatchFixtures
{
    public const string UserId = "2819c223-7f76-453a-919d-413861904646";
    public const string GroupId = "e9e30dba-f08f-4109-8486-d5c6a331660a";
    public const string Mandy = "902c246b-6245-4190-8e05-00816be7344a";
    public const string EnterpriseUrn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    public const string FullUserJson = """
        {
          "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
          "id": "2819c223-7f76-453a-919d-413861904646",
          "externalId": "701984",
          "userName": "bjensen@example.com",
          "name": {
            "formatted": "Ms. Barbara J Jensen, III",
            "familyName": "Jensen",
            "givenName": "Barbara",
            "middleName": "Jane",
            "honorificPrefix": "Ms.",
            "honorificSuffix": "III"
          },
          "displayName": "Babs Jensen",
          "nickName": "Babs",
          "profileUrl": "https://login.example.com/bjensen",
          "emails": [
            {"value": "bjensen@example.com", "type": "work", "primary": true},
            {"value": "babs@jensen.org", "type": "home"}
          ],
          "addresses": [
            {"type": "work", "streetAddress": "100 Universal City Plaza", "locality": "Hollywood", "region": "CA",
             "postalCode": "91608", "country": "USA", "formatted": "100 Universal City Plaza\nHollywood, CA 91608 USA", "primary": true},
            {"type": "home", "streetAddress": "456 Hollywood Blvd", "locality": "Hollywood", "region": "CA",
             "postalCode": "91608", "country": "USA", "formatted": "456 Hollywood Blvd\nHollywood, CA 91608 USA"}
          ],
          "phoneNumbers": [
            {"value": "555-555-5555", "type": "work"},
            {"value": "555-555-4444", "type": "mobile"}
          ],
          "ims": [{"value": "someaimhandle", "type": "aim"}],
          "photos": [
            {"value": "https://photos.example.com/profilephoto/72930000000Ccne/F", "type": "photo"},
            {"value": "https://photos.example.com/profilephoto/72930000000Ccne/T", "type": "thumbnail"}
          ],
          "userType": "Employee",
          "title": "Tour Guide",
          "preferredLanguage": "en-US",
          "locale": "en-US",
          "timezone": "America/Los_Angeles",
          "active": true,
          "x509Certificates": [{"value": "MIIDQzCCAqygAwIBAgICEAAwDQYJ"}],
          "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
            "employeeNumber": "701984",
            "costCenter": "4130",
            "organization": "Universal Studios",
            "division": "Theme Park",
            "department": "Tour Operations",
            "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d", "$ref": "../Users/26118915-6090-4610-87e4-49d8ca9f808d"}
          }
        }
        """;

    public const string GroupJson = """
        {
          "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
          "id": "e9e30dba-f08f-4109-8486-d5c6a331660a",
          "displayName": "Tour Guides",
          "members": [
            {"value": "2819c223-7f76-453a-919d-413861904646", "$ref": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646", "type": "User"},
            {"value": "902c246b-6245-4190-8e05-00816be7344a", "$ref": "https://example.com/v2/Users/902c246b-6245-4190-8e05-00816be7344a", "type": "User"}
          ]
        }
        """;

    /// <summary>The full user as the generated writer writes it (with id and meta).</summary>
    public static JsonObject StoredUser()
    {
        var user = UserJson.Read(Encoding.UTF8.GetBytes(FullUserJson));
        user.Id = UserId;
        user.Meta = new ResourceMeta { ResourceType = "User", Created = new DateTimeOffset(2010, 1, 23, 4, 56, 22, TimeSpan.Zero), Version = "W/\"a330bc54f0671c9\"" };
        return ToDom(user);
    }

    public static JsonObject StoredGroup()
    {
        var group = FastScim.Core.Resources.GroupJson.Read(Encoding.UTF8.GetBytes(GroupJson));
        group.Id = GroupId;
        return ToDom(group);
    }

    public static JsonObject ToDom(User user) => Dom(writer => UserJson.Write(writer, user));

    public static JsonObject ToDom(Group group) => Dom(writer => FastScim.Core.Resources.GroupJson.Write(writer, group));

    /// <summary>Parses <paramref name="body"/> and applies it to a clone of <paramref name="stored"/>, as the server does.</summary>
    public static JsonObject ApplyPatch(JsonObject stored, string body, ResourceSchema? schema = null, PatchOptions? options = null)
    {
        var clone = stored.DeepClone().AsObject();
        PatchEngine.Apply(clone, PatchRequest.Parse(Encoding.UTF8.GetBytes(body)).Operations, schema ?? ResourceSchema.User, options);
        return clone;
    }

    public static User PatchUser(string body) => ReadUser(ApplyPatch(StoredUser(), body));

    public static Group PatchGroup(string body) => ReadGroup(ApplyPatch(StoredGroup(), body, ResourceSchema.Group));

    public static ScimException PatchFails(JsonObject stored, string body, ResourceSchema? schema = null)
    {
        var before = stored.ToJsonString();
        var error = Assert.Throws<ScimException>(() => ApplyPatch(stored, body, schema));
        Assert.Equal(400, error.Status);
        Assert.Equal(before, stored.ToJsonString());
        return error;
    }

    public static User ReadUser(JsonObject dom) => UserJson.Read(Encoding.UTF8.GetBytes(dom.ToJsonString()));

    public static Group ReadGroup(JsonObject dom) => FastScim.Core.Resources.GroupJson.Read(Encoding.UTF8.GetBytes(dom.ToJsonString()));

    public static string[] MemberIds(Group group) => [.. (group.Members ?? []).Select(m => m.Value!)];

    private static JsonObject Dom(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return JsonNode.Parse(buffer.WrittenSpan)!.AsObject();
    }
}
