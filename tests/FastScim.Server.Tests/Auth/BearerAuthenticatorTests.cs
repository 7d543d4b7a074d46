using FastScim.Server.Auth;

namespace FastScim.Server.Tests.Auth;

public class BearerAuthenticatorTests
{
    [Theory]
    [InlineData("Bearer scim_abc", "scim_abc")]
    [InlineData("bearer scim_abc", "scim_abc")]
    [InlineData("BEARER   scim_abc  ", "scim_abc")]
    [InlineData("  Bearer scim_abc", "scim_abc")]
    public void A_well_formed_header_yields_the_token(string header, string expected)
    {
        Assert.Equal(expected, BearerAuthenticator.ExtractToken(header).ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearerscim_abc")]
    [InlineData("Bearer scim abc")]
    [InlineData("Token scim_abc")]
    public void A_malformed_header_yields_nothing(string? header)
    {
        Assert.True(BearerAuthenticator.ExtractToken(header).IsEmpty);
    }
}
