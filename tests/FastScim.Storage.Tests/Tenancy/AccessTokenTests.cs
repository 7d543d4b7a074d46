using System.Security.Cryptography;
using System.Text;
using FastScim.Storage.Tenancy;

namespace FastScim.Storage.Tests.Tenancy;

public class AccessTokenTests
{
    [Fact]
    public void New_token_is_scim_prefix_and_43_base64url_characters()
    {
        string token = AccessToken.Create();

        Assert.StartsWith("scim_", token, StringComparison.Ordinal);
        Assert.Equal(48, token.Length);
        Assert.Equal(AccessToken.Length, token.Length);
        Assert.All(token[5..], c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}' is not base64url"));
        Assert.DoesNotContain('=', token);
    }

    [Fact]
    public void Tokens_carry_32_random_bytes_and_differ()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < 100; i++)
        {
            string token = AccessToken.Create();
            Assert.Equal(32, System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(5)).Length);
            Assert.True(seen.Add(token));
        }
    }

    [Fact]
    public void Display_prefix_is_the_first_12_characters()
    {
        string token = AccessToken.Create();
        Assert.Equal(token[..12], AccessToken.DisplayPrefix(token));
    }

    [Fact]
    public void Hash_is_sha256_of_the_utf8_token()
    {
        string token = AccessToken.Create();
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(token)), AccessToken.Hash(token));
    }

    [Fact]
    public void TryHash_refuses_empty_and_overlong_input()
    {
        byte[] hash = new byte[AccessToken.HashLength];
        Assert.False(AccessToken.TryHash([], hash));
        Assert.False(AccessToken.TryHash(new string('a', AccessToken.MaxLength + 1), hash));
        Assert.True(AccessToken.TryHash(new string('a', AccessToken.MaxLength), hash));
    }
}
