using FastScim.Core.Resources;
using FastScim.Storage.LiteDb;
using LiteDB;

namespace FastScim.Storage.Tests.LiteDb;

/// <summary>The in-memory model's indexes, read directly: what a key names after each version of a resource.</summary>
public sealed class ModelIndexTests
{
    private const string EmailsUpper = "MAP($.emails[*] => UPPER(@.value))";

    [Fact]
    public void An_index_names_a_resource_once_however_many_of_its_values_share_a_key_and_forgets_it_with_them()
    {
        using var file = new LiteDatabase(new MemoryStream());
        var model = new ResourceModel<User>(file.GetCollection(ResourceLog.CollectionOf("users")), ResourceCodecs.User, [EmailsUpper], []);
        var user = new User
        {
            Id = "u1",
            UserName = "bjensen",
            Emails = [new Email { Value = "a@example.com" }, new Email { Value = "A@EXAMPLE.COM", Type = "work" }, new Email { Value = "b@example.com" }],
            Meta = new ResourceMeta { ResourceType = "User", Version = "W/\"1\"" },
        };

        Apply(model, user);
        Assert.Equal(["u1"], Holders(model, "A@EXAMPLE.COM"));
        Assert.Equal(["u1"], Holders(model, "B@EXAMPLE.COM"));

        // A version without those values: the key names nobody any more, the other still names it.
        User next = user.DeepCopy();
        next.Emails = [new Email { Value = "b@example.com" }];
        Apply(model, next);
        Assert.False(model.Current.Indexes[0].TryGetValue("A@EXAMPLE.COM", out _));
        Assert.Equal(["u1"], Holders(model, "B@EXAMPLE.COM"));
    }

    private static string[] Holders(ResourceModel<User> model, string key) =>
        model.Current.Indexes[0].TryGetValue(key, out var holders) ? [.. holders] : [];

    private static void Apply(ResourceModel<User> model, User version)
    {
        ResourceChange[] changes = [new("users", version.Id!, Document: null, model.Prepare(version), Sequence: 1)];
        model.WriteLog(changes);
        model.Apply(changes);
    }
}
