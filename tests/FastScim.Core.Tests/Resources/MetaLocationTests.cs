using System.Text.Json;
using FastScim.Core.Resources;

namespace FastScim.Core.Tests.Resources;

/// <summary>
/// meta.location (RFC 7643 §3.1) as the generated writers write it: the meta's own location, else
/// its location base, else the one the caller passes (a resource the store shares, written without
/// changing it), followed by the id; none without an id.
/// </summary>
public class MetaLocationTests
{
    private const string Base = "https://example.com/t/acme/api/v1/scim/v2/Users/";

    [Fact]
    public void A_location_base_passed_in_is_written_with_the_id_and_the_resource_is_left_as_it_was()
    {
        var user = new User { Id = "2819c223", UserName = "bjensen", Meta = new ResourceMeta { ResourceType = "User", Version = "W/\"1\"" } };

        Assert.Equal(Base + "2819c223", Location(user, Base));
        Assert.Null(user.Meta.LocationBase);
        Assert.Null(user.Meta.Location);
        Assert.Null(Location(user, locationBase: null)); // nothing to write it from
    }

    [Fact]
    public void The_metas_own_location_and_location_base_come_before_one_passed_in()
    {
        var user = new User { Id = "2819c223", UserName = "bjensen", Meta = new ResourceMeta { LocationBase = "https://other.example/Users/" } };
        Assert.Equal("https://other.example/Users/2819c223", Location(user, Base));

        user.Meta.Location = "https://elsewhere.example/u/1";
        Assert.Equal("https://elsewhere.example/u/1", Location(user, Base));
    }

    [Fact]
    public void A_resource_without_an_id_has_no_location_and_a_group_is_written_alike()
    {
        Assert.Null(Location(new User { UserName = "bjensen", Meta = new ResourceMeta() }, Base));

        var group = new Group { Id = "e9e30dba", DisplayName = "Tour Guides", Meta = new ResourceMeta { ResourceType = "Group" } };
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            GroupJson.Write(writer, group, "https://example.com/Groups/");
        }

        using var document = JsonDocument.Parse(stream.ToArray());
        Assert.Equal("https://example.com/Groups/e9e30dba", document.RootElement.GetProperty("meta").GetProperty("location").GetString());
        Assert.Null(group.Meta.LocationBase);
    }

    private static string? Location(User user, string? locationBase)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            UserJson.Write(writer, user, locationBase);
        }

        using var document = JsonDocument.Parse(stream.ToArray());
        return document.RootElement.GetProperty("meta").TryGetProperty("location", out JsonElement location) ? location.GetString() : null;
    }
}
