using FastScim.Core.Protocol;

namespace FastScim.Core.Tests.Protocol;

public class PagingTests
{
    [Theory]
    [InlineData(null, null, 1, 100)]
    [InlineData("1", "2", 1, 2)]
    [InlineData("0", "10", 1, 10)]
    [InlineData("-5", "10", 1, 10)]
    [InlineData("101", "100", 101, 100)]
    [InlineData("1", "-1", 1, 0)]
    [InlineData("1", "0", 1, 0)]
    [InlineData("1", "1000", 1, 200)]
    [InlineData("1", "99999999999", 1, 200)]
    public void Parameters_are_normalised_as_RFC_7644_section_3_4_2_4_says(string? startIndex, string? count, int expectedStart, int expectedCount)
    {
        var paging = Paging.Parse(startIndex, count);

        Assert.Equal(expectedStart, paging.StartIndex);
        Assert.Equal(expectedCount, paging.Count);
        Assert.Equal(expectedStart - 1, paging.Skip);
    }

    [Theory]
    [InlineData("abc", null, "startIndex")]
    [InlineData(null, "1.5", "count")]
    [InlineData(null, "ten", "count")]
    public void Non_integers_are_invalid_values(string? startIndex, string? count, string name)
    {
        var error = Assert.Throws<ScimException>(() => Paging.Parse(startIndex, count));

        Assert.Equal(400, error.Status);
        Assert.Equal(ScimType.InvalidValue, error.ScimType);
        Assert.Contains(name, error.Detail, StringComparison.Ordinal);
    }
}
