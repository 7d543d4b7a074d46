using System.Text;
using FastScim.Core.Compatibility;

namespace FastScim.Core.Tests.Compatibility;

/// <summary>The example request of a compatibility report never shows a password (RFC 7643 §4.1.1).</summary>
public class RequestExampleTests
{
    [Fact]
    public void Passwords_in_a_resource_and_in_a_PATCH_are_redacted()
    {
        var body = """
            {"userName":"bjensen","password":"t1meMa$heen","urn:x:User:password":"also",
             "Operations":[{"op":"replace","path":"PASSWORD","value":"n3w"},{"op":"replace","value":{"password":"p4th-less"}},{"op":"replace","path":"title","value":"Boss"}]}
            """;

        var shown = RequestExample.Describe("PATCH", "/t/a/api/v1/scim/v2/Users/1", "Okta SCIM Client 1.0.0", Encoding.UTF8.GetBytes(body));

        Assert.StartsWith("PATCH /t/a/api/v1/scim/v2/Users/1\nUser-Agent: Okta SCIM Client 1.0.0\n\n", shown, StringComparison.Ordinal);
        foreach (var secret in new[] { "t1meMa$heen", "also", "n3w", "p4th-less" })
        {
            Assert.DoesNotContain(secret, shown, StringComparison.Ordinal);
        }

        Assert.Contains("bjensen", shown, StringComparison.Ordinal);
        Assert.Contains("Boss", shown, StringComparison.Ordinal);
        Assert.Equal(4, shown.Split(RequestExample.Redacted).Length - 1);
    }

    [Fact]
    public void A_body_that_is_not_JSON_is_not_shown_and_a_long_one_is_cut()
    {
        Assert.DoesNotContain("secret", RequestExample.Describe("POST", "/x", null, "password=secret"u8), StringComparison.Ordinal);

        var longBody = Encoding.UTF8.GetBytes($$"""{"displayName":"{{new string('x', 5000)}}"}""");
        var shown = RequestExample.Describe("POST", "/x", null, longBody);

        Assert.True(shown.Length < RequestExample.MaxBodyCharacters + 100);
        Assert.EndsWith(" …", shown, StringComparison.Ordinal);
    }
}
