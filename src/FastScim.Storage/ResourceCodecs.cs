using FastScim.Core.Resources;
using FastScim.Storage.Bson;
using FastScim.Storage.LiteDb;

namespace FastScim.Storage;

/// <summary>The codecs of the resource types, built from the generated <c>…Bson</c> mappings.</summary>
public static class ResourceCodecs
{
    public static ResourceCodec<User> User { get; } =
        new("users", UserBson.ToDocument, UserBson.FromDocument, UserBson.Indexes, static u => u.Copy(), UserBson.ToBytes, UserBson.FromBytes);

    public static ResourceCodec<Group> Group { get; } =
        new("groups", GroupBson.ToDocument, GroupBson.FromDocument, GroupBson.Indexes, static g => g.Copy(), GroupBson.ToBytes, GroupBson.FromBytes);
}
