using System.Text.Json.Nodes;
using FastScim.Core.Patch;
using FastScim.Core.Protocol;
using FastScim.Core.Schema;

namespace FastScim.Core.Tests.Schema;

public class ImmutableAttributesTests
{
    private static readonly ResourceSchema Badges = new(
        new SchemaDefinition("urn:example:Badge", "Badge", "A badge.",
        [
            new AttributeDefinition("serial", AttributeType.String, false, "Set once.", false, true, Mutability.Immutable, Returned.Default, Uniqueness.None, [], [], []),
            new AttributeDefinition("label", AttributeType.String, false, "Free.", false, false, Mutability.ReadWrite, Returned.Default, Uniqueness.None, [], [], []),
        ]),
        [new SchemaDefinition("urn:example:Ext", "Ext", "Extension.",
        [
            new AttributeDefinition("issuer", AttributeType.String, false, "Set once.", false, true, Mutability.Immutable, Returned.Default, Uniqueness.None, [], [], []),
        ])]);

    [Fact]
    public void The_shipped_user_and_group_schemas_have_no_top_level_immutable_attribute()
    {
        Assert.False(ImmutableAttributes.Any(ResourceSchema.User));
        Assert.False(ImmutableAttributes.Any(ResourceSchema.Group));
        Assert.True(ImmutableAttributes.Any(Badges));
    }

    [Theory]
    [InlineData("""{"label":"a"}""", """{"serial":"S1","label":"b"}""")]
    [InlineData("""{"serial":"S1"}""", """{"serial":"S1","label":"b"}""")]
    [InlineData("""{"urn:example:Ext":{"issuer":"X"}}""", """{"urn:example:Ext":{"issuer":"X"},"label":"c"}""")]
    public void Setting_once_or_repeating_the_value_is_allowed(string current, string replacement)
    {
        ImmutableAttributes.Check(Parse(current), Parse(replacement), Badges);
    }

    [Theory]
    [InlineData("""{"serial":"S1"}""", """{"serial":"S2"}""", "serial")]
    [InlineData("""{"serial":"S1"}""", """{"label":"dropped the serial"}""", "serial")]
    [InlineData("""{"urn:example:Ext":{"issuer":"X"}}""", """{"urn:example:Ext":{"issuer":"Y"}}""", "issuer")]
    public void Changing_or_removing_an_assigned_value_is_a_mutability_error(string current, string replacement, string attribute)
    {
        var error = Assert.Throws<ScimException>(() => ImmutableAttributes.Check(Parse(current), Parse(replacement), Badges));

        Assert.Equal(ScimType.Mutability, error.ScimType);
        Assert.Contains(attribute, error.Detail, StringComparison.Ordinal);
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
