using System.Buffers;
using System.Text;
using System.Text.Json;
using FastScim.Core.Protocol;
using FastScim.Core.Resources;
using FastScim.Tests.Shared;

namespace FastScim.Generators.Tests.Runtime;

/// <summary>Runs the code the generator put into FastScim.Core.</summary>
public class GeneratedJsonTests
{
    private const string EnterpriseUrn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    [Fact]
    public void Minimal_user_round_trips()
    {
        var user = RoundTrip(RfcExamples.MinimalUser);
        Assert.Equal("Bjensen@example.com", user.UserName);
        Assert.Null(user.Name);
        Assert.Null(user.Emails);
    }

    [Fact]
    public void Full_user_round_trips_with_every_value()
    {
        var user = RoundTrip(RfcExamples.FullUser);
        Assert.Equal("701984", user.ExternalId);
        Assert.Equal("bjensen@example.com", user.UserName);
        Assert.Equal("Ms. Barbara J Jensen, III", user.Name!.Formatted);
        Assert.Equal("III", user.Name.HonorificSuffix);
        Assert.Equal(2, user.Emails!.Count);
        Assert.True(user.Emails[0].Primary);
        Assert.Null(user.Emails[1].Primary);
        Assert.Equal("home", user.Emails[1].Type);
        Assert.Equal("100 Universal City Plaza\nHollywood, CA 91608 USA", user.Addresses![0].Formatted);
        Assert.True(user.Addresses[0].Primary);
        Assert.Equal("mobile", user.PhoneNumbers![1].Type);
        Assert.Equal("someaimhandle", user.Ims!.Single().Value);
        Assert.Equal("thumbnail", user.Photos![1].Type);
        Assert.StartsWith("MIIDQzCCAqyg", user.X509Certificates!.Single().Value, StringComparison.Ordinal);
        Assert.Equal("America/Los_Angeles", user.Timezone);
        Assert.True(user.Active);

        // password is read (first pass) but never written, so the re-read copy has none
        Assert.Null(user.Password);
    }

    [Fact]
    public void Enterprise_user_round_trips_under_its_urn()
    {
        var user = RoundTrip(RfcExamples.EnterpriseUser);
        Assert.NotNull(user.EnterpriseUser);
        Assert.Equal("701984", user.EnterpriseUser.EmployeeNumber);
        Assert.Equal("Tour Operations", user.EnterpriseUser.Department);
        Assert.Equal("26118915-6090-4610-87e4-49d8ca9f808d", user.EnterpriseUser.Manager!.Value);
        Assert.Equal("../Users/26118915-6090-4610-87e4-49d8ca9f808d", user.EnterpriseUser.Manager.Ref);

        // manager.displayName is readOnly: dropped on read
        Assert.Null(user.EnterpriseUser.Manager.DisplayName);

        using var json = JsonDocument.Parse(Write(user));
        var schemas = json.RootElement.GetProperty("schemas").EnumerateArray().Select(e => e.GetString()).ToArray();
        Assert.Equal(new[] { "urn:ietf:params:scim:schemas:core:2.0:User", EnterpriseUrn }, schemas);
        Assert.Equal("4130", json.RootElement.GetProperty(EnterpriseUrn).GetProperty("costCenter").GetString());
    }

    [Fact]
    public void Group_round_trips()
    {
        var group = GroupJson.Read(Encoding.UTF8.GetBytes(RfcExamples.Group));
        var first = WriteGroup(group);
        var again = GroupJson.Read(Encoding.UTF8.GetBytes(first));
        Assert.Equal(first, WriteGroup(again));
        Assert.Equal("Tour Guides", again.DisplayName);
        Assert.Equal(2, again.Members!.Count);
        Assert.Equal("902c246b-6245-4190-8e05-00816be7344a", again.Members[1].Value);
        Assert.Equal("https://example.com/v2/Users/902c246b-6245-4190-8e05-00816be7344a", again.Members[1].Ref);
        Assert.Null(again.Id);
        Assert.StartsWith("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"Tour Guides\"", first, StringComparison.Ordinal);
    }

    [Fact]
    public void Attribute_names_and_extension_urn_match_case_insensitively()
    {
        var user = Read("""
            {
              "UserName": "bjensen",
              "Active": true,
              "NAME": { "GivenName": "Barbara" },
              "eMails": [ { "VALUE": "b@example.com", "Primary": true } ],
              "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER": { "EmployeeNumber": "42", "MANAGER": { "Value": "m1" } }
            }
            """);
        Assert.Equal("bjensen", user.UserName);
        Assert.True(user.Active);
        Assert.Equal("Barbara", user.Name!.GivenName);
        Assert.NotNull(user.Emails);
        Assert.Equal("b@example.com", user.Emails.Single().Value);
        Assert.True(user.Emails[0].Primary);
        Assert.Equal("42", user.EnterpriseUser!.EmployeeNumber);
        Assert.Equal("m1", user.EnterpriseUser.Manager!.Value);
    }

    [Fact]
    public void Escaped_property_names_are_matched()
    {
        var user = Read("""{ "user\u004eame": "escaped" }""");
        Assert.Equal("escaped", user.UserName);
    }

    [Theory]
    [InlineData("\"True\"", true)]
    [InlineData("\"False\"", false)]
    [InlineData("\"TRUE\"", true)]
    [InlineData("\"false\"", false)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void Booleans_accept_strings_in_any_case(string json, bool expected)
    {
        var user = Read("{\"active\":" + json + ",\"emails\":[{\"value\":\"a@b.c\",\"primary\":" + json + "}]}");
        Assert.Equal(expected, user.Active);
        Assert.Equal(expected, user.Emails![0].Primary);
    }

    [Fact]
    public void ReadOnly_attributes_are_dropped_on_read()
    {
        var user = Read(RfcExamples.FullUser);
        Assert.Null(user.Id);
        Assert.Null(user.Meta);
        Assert.Null(user.Groups);
        Assert.Equal("701984", user.ExternalId);
    }

    [Fact]
    public void Server_set_readOnly_values_are_written()
    {
        var user = new User
        {
            Id = "u1",
            UserName = "b",
            Groups = new List<UserGroup> { new() { Value = "g1", Display = "Tour Guides" } },
            Meta = new ResourceMeta { ResourceType = "User", Created = new DateTimeOffset(2010, 1, 23, 4, 56, 22, TimeSpan.Zero), Version = "W/\"1\"", Location = "https://x/Users/u1" },
        };
        using var json = JsonDocument.Parse(Write(user));
        var root = json.RootElement;
        Assert.Equal("u1", root.GetProperty("id").GetString());
        Assert.Equal("g1", root.GetProperty("groups")[0].GetProperty("value").GetString());
        Assert.Equal("User", root.GetProperty("meta").GetProperty("resourceType").GetString());
        Assert.Equal("2010-01-23T04:56:22+00:00", root.GetProperty("meta").GetProperty("created").GetString());
        Assert.Equal("https://x/Users/u1", root.GetProperty("meta").GetProperty("location").GetString());
        Assert.False(root.TryGetProperty("emails", out _));
        Assert.False(root.TryGetProperty(EnterpriseUrn, out _));
    }

    /// <summary>
    /// meta.location (RFC 7643 §3.1): the meta's own location, else its location base, else the one
    /// the caller passes (a resource the store shares, written without changing it), followed by the
    /// id; none without an id or a base.
    /// </summary>
    [Fact]
    public void Meta_location_is_the_metas_own_else_its_base_else_the_base_passed_in_followed_by_the_id()
    {
        const string Base = "https://example.com/t/acme/api/v1/scim/v2/Users/";
        var user = new User { Id = "2819c223", UserName = "bjensen", Meta = new ResourceMeta { ResourceType = "User", Version = "W/\"1\"" } };
        Assert.Equal(Base + "2819c223", Location(Write(user, Base)));
        Assert.Null(user.Meta.LocationBase); // the resource is left as it was
        Assert.Null(Location(Write(user)));

        user.Meta.LocationBase = "https://other.example/Users/";
        Assert.Equal("https://other.example/Users/2819c223", Location(Write(user, Base)));
        user.Meta.Location = "https://elsewhere.example/u/1";
        Assert.Equal("https://elsewhere.example/u/1", Location(Write(user, Base)));

        Assert.Null(Location(Write(new User { UserName = "bjensen", Meta = new ResourceMeta() }, Base)));
        var group = new Group { Id = "e9e30dba", DisplayName = "Tour Guides", Meta = new ResourceMeta { ResourceType = "Group" } };
        Assert.Equal("https://example.com/Groups/e9e30dba", Location(WriteGroup(group, "https://example.com/Groups/")));
        Assert.Null(group.Meta.LocationBase);
    }

    [Fact]
    public void Password_is_read_but_never_written()
    {
        var user = Read(RfcExamples.FullUser);
        Assert.Equal("t1meMa$heen", user.Password);
        var written = Write(user);
        Assert.DoesNotContain("password", written, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("t1meMa", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_means_unassigned_and_empty_lists_are_omitted()
    {
        var user = Read("""{ "userName": "b", "displayName": null, "emails": [], "name": null }""");
        Assert.Null(user.DisplayName);
        Assert.Null(user.Name);
        Assert.NotNull(user.Emails);
        Assert.Equal("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"b\"}", Write(user));
    }

    [Fact]
    public void Unknown_attributes_and_schemas_are_skipped()
    {
        var user = Read("""{ "schemas": ["x"], "foo": { "bar": [1, 2, { "baz": true }] }, "userName": "b", "qux": 3 }""");
        Assert.Equal("b", user.UserName);
    }

    [Theory]
    [InlineData("""{ "active": 3 }""", "active")]
    [InlineData("""{ "userName": true }""", "userName")]
    [InlineData("""{ "name": "Barbara" }""", "name")]
    [InlineData("""{ "name": { "givenName": 7 } }""", "name.givenName")]
    [InlineData("""{ "emails": { "value": "a@b.c" } }""", "emails")]
    [InlineData("""{ "emails": [ { "primary": "yes" } ] }""", "emails.primary")]
    [InlineData("""{ "emails": [ "a@b.c" ] }""", "emails")]
    [InlineData("""{ "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": "x" }""", EnterpriseUrn)]
    [InlineData("""{ "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { "manager": { "value": 1 } } }""", EnterpriseUrn + ":manager.value")]
    public void Wrong_json_types_throw_invalidValue_naming_the_path(string json, string path)
    {
        var ex = Assert.Throws<ScimException>(() => Read(json));
        Assert.Equal(400, ex.Status);
        Assert.Equal(ScimType.InvalidValue, ex.ScimType);
        Assert.Contains("'" + path + "'", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_object_body_is_invalid_syntax_and_malformed_json_is_JsonException()
    {
        var ex = Assert.Throws<ScimException>(() => Read("[1]"));
        Assert.Equal(ScimType.InvalidSyntax, ex.ScimType);
        Assert.ThrowsAny<JsonException>(() => Read("{\"userName\": "));
    }

    [Fact]
    public void Reader_positioned_before_the_object_inside_a_larger_document()
    {
        var bytes = Encoding.UTF8.GetBytes("""{ "Operations": [ { "data": { "userName": "inner" } } ] }""");
        var reader = new Utf8JsonReader(bytes);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("data"u8))
            {
                break;
            }
        }

        // just before the StartObject (on the property name)
        var user = UserJson.Read(ref reader);
        Assert.Equal("inner", user.UserName);
        Assert.Equal(JsonTokenType.EndObject, reader.TokenType);
        Assert.True(reader.Read());
        Assert.Equal(JsonTokenType.EndObject, reader.TokenType);
    }

    private static User Read(string json) => UserJson.Read(Encoding.UTF8.GetBytes(json));

    private static string Write(User user, string? locationBase = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            UserJson.Write(writer, user, locationBase);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string WriteGroup(Group group, string? locationBase = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            GroupJson.Write(writer, group, locationBase);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>meta.location of a written resource, or null when it has none.</summary>
    private static string? Location(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("meta").TryGetProperty("location", out JsonElement location) ? location.GetString() : null;
    }

    /// <summary>Read → Write → Read → Write: both writes equal, and the second read equals the first.</summary>
    private static User RoundTrip(string json)
    {
        var first = Read(json);
        var written = Write(first);
        var second = Read(written);
        Assert.Equal(written, Write(second));
        Assert.Equal(first.UserName, second.UserName);
        return second;
    }
}
