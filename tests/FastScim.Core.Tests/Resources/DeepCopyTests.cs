using System.Collections;
using System.Reflection;
using System.Text.Json;
using FastScim.Core.Tests.Filtering;
using FastScim.Core.Resources;

namespace FastScim.Core.Tests.Resources;

/// <summary>The generated <c>DeepCopy</c>: the same content, and no list or object shared (the store hands one to a change that may alter it).</summary>
public class DeepCopyTests
{
    [Fact]
    public void A_deep_copy_of_a_user_holds_the_same_and_shares_nothing()
    {
        var random = new Random(4711);
        for (int i = 0; i < 300; i++)
        {
            User user = CompiledFilterPropertyTests.RandomUser(random);
            user.Password = random.Next(2) == 0 ? "secret" : null;
            User copy = user.DeepCopy();

            Assert.Equal(Json(user, UserJson.Write), Json(copy, UserJson.Write));
            Assert.Equal(user.Password, copy.Password);
            AssertSharesNothing(user, copy, "user");
        }
    }

    [Fact]
    public void A_deep_copy_of_a_group_holds_the_same_and_shares_nothing()
    {
        var group = new Group
        {
            Id = "g1",
            DisplayName = "Tour Guides",
            Members = [new Member { Value = "u1", Type = "User" }, new Member { Value = "g2", Type = "Group" }],
            Meta = new ResourceMeta { ResourceType = "Group", Version = "W/\"3\"" },
        };

        Group copy = group.DeepCopy();

        Assert.Equal(Json(group, GroupJson.Write), Json(copy, GroupJson.Write));
        AssertSharesNothing(group, copy, "group");
    }

    [Fact]
    public void Changing_the_copy_leaves_the_original_as_it_was()
    {
        var user = new User
        {
            UserName = "bjensen",
            Emails = [new Email { Value = "a@example.com", Type = "work" }],
            Name = new Name { GivenName = "Barbara" },
            EnterpriseUser = new EnterpriseUser { Manager = new Manager { Value = "m1" } },
        };
        string before = Json(user, UserJson.Write);

        User copy = user.DeepCopy();
        copy.Emails![0].Value = "changed@example.com";
        copy.Emails.Add(new Email { Value = "more@example.com" });
        copy.Name!.GivenName = "Babs";
        copy.EnterpriseUser!.Manager!.Value = "m2";

        Assert.Equal(before, Json(user, UserJson.Write));
    }

    private static string Json<T>(T resource, Action<Utf8JsonWriter, T> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            write(writer, resource);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    // Test-side reflection: every list and object reachable from the copy is its own, but the
    // kept rendering (a cache of the stored version's JSON, which a copy may share).
    private static void AssertSharesNothing(object original, object copy, string path)
    {
        Assert.NotSame(original, copy);
        foreach (PropertyInfo property in original.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.PropertyType == typeof(string) || property.PropertyType.IsValueType || property.GetIndexParameters().Length > 0
                || property.PropertyType == typeof(ResourceRendering))
            {
                continue;
            }

            object? a = property.GetValue(original), b = property.GetValue(copy);
            if (a is null)
            {
                Assert.Null(b);
                continue;
            }

            Assert.NotNull(b);
            if (a is IList list)
            {
                Assert.NotSame(a, b);
                var other = (IList)b!;
                Assert.Equal(list.Count, other.Count);
                for (int i = 0; i < list.Count; i++)
                {
                    if (list[i] is { } item && item is not string && !item.GetType().IsValueType)
                    {
                        AssertSharesNothing(item, other[i]!, $"{path}.{property.Name}[{i}]");
                    }
                }

                continue;
            }

            AssertSharesNothing(a, b!, path + "." + property.Name);
        }
    }
}
