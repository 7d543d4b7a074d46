using FastScim.Core.Resources;
using FastScim.Storage.LiteDb;
using LiteDB;

namespace FastScim.Storage.Tests.TestSupport;

/// <summary>A small resource type for store tests, independent of the generated ones.</summary>
internal sealed class Widget : IScimResource
{
    public string? Id { get; set; }
    public string? ExternalId { get; set; }
    public ResourceMeta? Meta { get; set; }
    public string? Name { get; set; }

    // A widget has no objects or arrays to be empty.
    public bool RemoveUnassigned() => false;

    public bool HasUnassigned() => false;

    public static Widget Named(string name) => new() { Id = Guid.NewGuid().ToString("N"), Name = name };
}

/// <summary>Hand-written codecs standing in for the generated …Bson mappings.</summary>
internal static class TestCodecs
{
    public static ResourceCodec<Widget> Widget { get; } = new(
        "widgets",
        static w => new BsonDocument { ["_id"] = w.Id, ["externalId"] = w.ExternalId, ["name"] = w.Name },
        static d => new Widget { Id = d["_id"].AsString, ExternalId = NullableString(d["externalId"]), Name = NullableString(d["name"]) },
        [new BsonIndex("name", "LOWER($.name)", Unique: true)],
        static w => new Widget { Id = w.Id, ExternalId = w.ExternalId, Name = w.Name, Meta = ResourceMeta.CopyOf(w.Meta) });

    public static ResourceCodec<User> User { get; } = new(
        "users",
        static u => new BsonDocument { ["_id"] = u.Id, ["userName"] = u.UserName },
        static d => new User { Id = d["_id"].AsString, UserName = NullableString(d["userName"]) },
        [new BsonIndex("userName", "LOWER($.userName)", Unique: true)],
        static u => u.Copy());

    public static ResourceCodec<Group> Group { get; } = new(
        "groups",
        static g => new BsonDocument { ["_id"] = g.Id },
        static d => new Group { Id = d["_id"].AsString },
        [],
        static g => g.Copy());

    public static User NewUser(string userName) => new() { Id = Guid.NewGuid().ToString("N"), UserName = userName };

    private static string? NullableString(BsonValue value) => value.IsNull ? null : value.AsString;
}
