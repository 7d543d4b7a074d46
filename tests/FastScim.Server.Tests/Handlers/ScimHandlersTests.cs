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
}
