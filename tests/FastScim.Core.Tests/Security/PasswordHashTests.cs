using FastScim.Core.Security;

namespace FastScim.Core.Tests.Security;

public class PasswordHashTests
{
    [Fact]
    public void A_hash_verifies_its_password_and_no_other()
    {
        var hash = PasswordHash.Hash("t1meMa$heen");

        Assert.True(PasswordHash.IsHash(hash));
        Assert.DoesNotContain("t1meMa$heen", hash, StringComparison.Ordinal);
        Assert.True(PasswordHash.Verify("t1meMa$heen", hash));
        Assert.False(PasswordHash.Verify("t1meMa$heeN", hash));
    }

    [Fact]
    public void The_same_password_hashes_differently_each_time()
    {
        Assert.NotEqual(PasswordHash.Hash("secret"), PasswordHash.Hash("secret"));
    }

    [Theory]
    [InlineData("secret")]
    [InlineData("$pbkdf2-sha256$x$abc$def")]
    [InlineData("$pbkdf2-sha256$1000$!!!$def")]
    [InlineData("$pbkdf2-sha256$1000$abc")]
    public void Malformed_stored_values_never_verify(string stored)
    {
        Assert.False(PasswordHash.Verify("secret", stored));
    }
}
