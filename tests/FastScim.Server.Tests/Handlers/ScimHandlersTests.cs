using FastScim.Server.Handlers;

namespace FastScim.Server.Tests.Handlers;

public class ScimHandlersTests
{
    [Theory]
    [InlineData("application/scim+json", true)]
    [InlineData("application/scim+json; charset=utf-8", true)]
    [InlineData("Application/SCIM+JSON", true)]
    [InlineData("application/json", true)]
    [InlineData("application/json;charset=UTF-8", true)]
    [InlineData("text/plain", false)]
    [InlineData("application/xml", false)]
    [InlineData("application/scim+jsonx", false)]
    public void Scim_and_plain_json_media_types_are_accepted(string contentType, bool accepted)
    {
        Assert.Equal(accepted, ScimHandlers.IsJsonMediaType(contentType));
    }

    [Theory]
    [InlineData("W/\"3\"", "W/\"3\"", true)]
    [InlineData("\"3\"", "W/\"3\"", true)]
    [InlineData("*", "W/\"3\"", true)]
    [InlineData("W/\"1\", W/\"3\"", "W/\"3\"", true)]
    [InlineData("W/\"2\"", "W/\"3\"", false)]
    [InlineData("W/\"3\"", null, false)]
    public void Entity_tags_compare_weakly(string header, string? version, bool matches)
    {
        Assert.Equal(matches, ScimHandlers.ETagMatches(header, version));
    }
}
