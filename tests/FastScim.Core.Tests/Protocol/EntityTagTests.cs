using FastScim.Core.Protocol;

namespace FastScim.Core.Tests.Protocol;

public class EntityTagTests
{
    [Theory]
    [InlineData("W/\"3\"", "W/\"3\"", true)]
    [InlineData("\"3\"", "W/\"3\"", true)]
    [InlineData("*", "W/\"3\"", true)]
    [InlineData("W/\"1\", W/\"3\"", "W/\"3\"", true)]
    [InlineData("W/\"2\"", "W/\"3\"", false)]
    [InlineData("W/\"33\"", "W/\"3\"", false)]
    [InlineData("W/\"3\"", null, false)]
    [InlineData("*", null, false)]
    public void Tags_compare_weakly(string header, string? version, bool matches)
    {
        Assert.Equal(matches, EntityTag.Matches(header, version));
    }

    [Theory]
    [InlineData(null, "W/\"1\"")]
    [InlineData("W/\"1\"", "W/\"2\"")]
    [InlineData("W/\"41\"", "W/\"42\"")]
    [InlineData("W/\"garbage\"", "W/\"1\"")]
    public void The_next_version_counts_up(string? current, string next)
    {
        Assert.Equal(next, EntityTag.Next(current));
    }
}
