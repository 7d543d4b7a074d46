using FastScim.Core.Filtering;
using FastScim.Core.Protocol;
using FastScim.Core.Resources;

namespace FastScim.Core.Tests.Filtering;

/// <summary>The root .search compiles one filter per resource type; attributes a type lacks read as unassigned there.</summary>
public class UnknownAttributeAcrossTypesTests
{
    private static readonly Group Engineering = new() { Id = "g1", DisplayName = "Engineering" };

    [Theory]
    [InlineData("userName eq \"x\"", false)]
    [InlineData("userName ne \"x\"", true)]
    [InlineData("userName eq null", true)]
    [InlineData("userName ne null", false)]
    [InlineData("userName pr", false)]
    [InlineData("emails[type eq \"work\"]", false)]
    [InlineData("not (userName pr)", true)]
    [InlineData("userName eq \"x\" or displayName eq \"Engineering\"", true)]
    [InlineData("userName eq \"x\" and displayName eq \"Engineering\"", false)]
    public void An_attribute_the_type_lacks_is_unassigned(string filter, bool matches)
    {
        var predicate = FilterCompiler.Compile<Group, GroupAccessors>(FilterParser.Parse(filter), unknownIsUnassigned: true);

        Assert.Equal(matches, predicate(Engineering));
    }

    [Fact]
    public void Without_the_option_the_same_filter_is_refused()
    {
        var error = Assert.Throws<ScimException>(() => FilterCompiler.Compile<Group, GroupAccessors>(FilterParser.Parse("userName eq \"x\""), unknownIsUnassigned: false));

        Assert.Equal(ScimType.InvalidFilter, error.ScimType);
    }
}
