using FastScim.Storage.Tenancy;

namespace FastScim.Storage.Tests.Tenancy;

public class TenantNameTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("acme")]
    [InlineData("acme-corp-2")]
    [InlineData("9-lives")]
    [InlineData("a-")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0")] // 63
    public void Accepts_valid_names(string name)
    {
        Assert.True(TenantName.IsValid(name));
        TenantName.Validate(name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-acme")]
    [InlineData("Acme")]
    [InlineData("acme_corp")]
    [InlineData("acme.corp")]
    [InlineData("../etc")]
    [InlineData("a/b")]
    [InlineData("acme ")]
    [InlineData("ünicode")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz01")] // 64
    public void Refuses_invalid_names_with_a_message_saying_what_is_allowed(string name)
    {
        Assert.False(TenantName.IsValid(name));
        ArgumentException refusal = Assert.Throws<ArgumentException>(() => TenantName.Validate(name));
        Assert.Contains("not a valid tenant name", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("a-z, 0-9 and '-'", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_null()
    {
        Assert.Throws<ArgumentNullException>(() => TenantName.Validate(null));
    }
}
