using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FastScim.Core.Patch;
using FastScim.Core.Protocol;
using FastScim.Core.Resources;
using FastScim.Tests.Shared;

namespace FastScim.Core.Tests.Patch;

/// <summary>The RFC 7643 §8.2 full user (with the §4.3 enterprise extension) and §8.4 group, stored the way the server stores them.</summary>
internal static class PatchFixtures
{
    public const string UserId = "2819c223-7f76-453a-919d-413861904646";
    public const string GroupId = "e9e30dba-f08f-4109-8486-d5c6a331660a";
    public const string Mandy = "902c246b-6245-4190-8e05-00816be7344a";
    public const string EnterpriseUrn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    /// <summary>
    /// The §8.2 full user with the §8.3 enterprise user's extension, as a client would send it: without the
    /// password, the readOnly groups and meta.
    /// </summary>
    public static readonly string FullUserJson = FullUserWithEnterpriseExtension();

    /// <summary>The §8.4 group without meta, each member with its type ("User") in place of its display name.</summary>
    public static readonly string GroupJson = GroupWithMemberTypes();

    private static string FullUserWithEnterpriseExtension()
    {
        var user = JsonNode.Parse(RfcExamples.FullUser)!.AsObject();
        var enterprise = JsonNode.Parse(RfcExamples.EnterpriseUser)!.AsObject();
        user.Remove("password");
        user.Remove("groups");
        user.Remove("meta");
        user["schemas"] = enterprise["schemas"]!.DeepClone();
        user[EnterpriseUrn] = enterprise[EnterpriseUrn]!.DeepClone();
        return user.ToJsonString();
    }

    private static string GroupWithMemberTypes()
    {
        var group = JsonNode.Parse(RfcExamples.Group)!.AsObject();
        group.Remove("meta");
        foreach (var member in group["members"]!.AsArray())
        {
            member!.AsObject().Remove("display");
            member["type"] = "User";
        }

        return group.ToJsonString();
    }

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
