using FastScim.Core.Protocol;
using FastScim.Core.Resources;

namespace FastScim.Storage.Tests.TestSupport;

/// <summary>Resources as the server hands them to the store to create: an id and a first meta.</summary>
internal static class NewResources
{
    public static User User(string userName) => new()
    {
        Id = Guid.NewGuid().ToString("D"),
        UserName = userName,
        Meta = FirstMeta("User"),
    };

    public static Group Group(string displayName, params string[] memberIds) => new()
    {
        Id = Guid.NewGuid().ToString("D"),
        DisplayName = displayName,
        Members = [.. memberIds.Select(static id => new Member { Value = id })],
        Meta = FirstMeta("Group"),
    };

    private static ResourceMeta FirstMeta(string resourceType)
    {
        var now = ResourceClock.Now();
        return new ResourceMeta { ResourceType = resourceType, Created = now, LastModified = now, Version = EntityTag.First };
    }
}
