using FastScim.Core.Filtering;
using FastScim.Core.Resources;
using FastScim.Core.Schema;

namespace FastScim.Core.Tests.Filtering;

/// <summary>The generated <c>…Accessors</c>: definitions, typed values and presence by attribute path.</summary>
public class AccessorsTests
{
    private const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    /// <summary>Records every value it is handed, by CLR type, and matches none.</summary>
    private sealed class Recorder : ValueTest
    {
        public List<string> Seen { get; } = [];

        public override bool Test(string? value)
        {
            Seen.Add("string:" + value);
            return false;
        }

        public override bool Test(bool? value)
        {
            Seen.Add("bool:" + value);
            return false;
        }

        public override bool Test(DateTimeOffset? value)
        {
            Seen.Add("date:" + value?.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            return false;
        }
    }

    private static User Sample() => new()
    {
        Id = "1",
        UserName = "bjensen",
        Active = true,
        Name = new Name { GivenName = "Barbara" },
        Emails = [new Email { Value = "a@example.com", Type = "work" }, new Email { Value = "b@example.com" }],
        Meta = new ResourceMeta { LastModified = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) },
        EnterpriseUser = new EnterpriseUser { Manager = new Manager { Value = "m1" } },
    };

    [Theory]
    [InlineData(null, "userName", null, "userName", AttributeType.String, false)]
    [InlineData(null, "USERNAME", null, "userName", AttributeType.String, false)]
    [InlineData("urn:ietf:params:scim:schemas:core:2.0:User", "userName", null, "userName", AttributeType.String, false)]
    [InlineData(null, "name", "givenName", "givenName", AttributeType.String, false)]
    [InlineData(null, "emails", "value", "value", AttributeType.String, false)]
    [InlineData(null, "emails", "primary", "primary", AttributeType.Boolean, false)]
    [InlineData(null, "emails", null, "emails", AttributeType.Complex, false)]
    [InlineData(null, "id", null, "id", AttributeType.String, true)]
    [InlineData(null, "externalId", null, "externalId", AttributeType.String, true)]
    [InlineData(null, "meta", "lastModified", "lastModified", AttributeType.DateTime, false)]
    [InlineData(null, "meta", "created", "created", AttributeType.DateTime, false)]
    [InlineData(null, "meta", "resourceType", "resourceType", AttributeType.String, true)]
    [InlineData(null, "meta", "version", "version", AttributeType.String, true)]
    [InlineData(null, "schemas", null, "schemas", AttributeType.Reference, false)]
    [InlineData(Enterprise, "manager", "value", "value", AttributeType.String, false)]
    [InlineData(Enterprise, "employeeNumber", null, "employeeNumber", AttributeType.String, false)]
    [InlineData(null, "x509Certificates", "value", "value", AttributeType.Binary, true)]
    public void Definition_names_the_leaf_with_its_type_and_caseExact(string? urn, string name, string? sub, string leaf, AttributeType type, bool caseExact)
    {
        var definition = UserAccessors.Definition(new AttributePath(urn, name, sub));
        Assert.NotNull(definition);
        Assert.Equal(leaf, definition.Name);
        Assert.Equal(type, definition.Type);
        Assert.Equal(caseExact, definition.CaseExact);
    }

    [Theory]
    [InlineData(null, "nosuch", null)]
    [InlineData(null, "userName", "x")]
    [InlineData(null, "name", "nosuch")]
    [InlineData(null, "employeeNumber", null)]
    [InlineData("urn:example:other", "userName", null)]
    [InlineData(null, "meta", "nosuch")]
    public void Unknown_paths_give_null(string? urn, string name, string? sub)
    {
        var path = new AttributePath(urn, name, sub);
        Assert.Null(UserAccessors.Definition(path));
        Assert.Null(UserAccessors.Match(path, new Recorder()));
        Assert.Null(UserAccessors.Present(path));
    }

    [Fact]
    public void Match_hands_the_typed_value_of_every_element_to_the_test()
    {
        var user = Sample();
        var recorder = new Recorder();
        Assert.False(UserAccessors.Match(new AttributePath(null, "emails", "value"), recorder)!(user));
        Assert.Equal(["string:a@example.com", "string:b@example.com"], recorder.Seen);

        recorder = new Recorder();
        UserAccessors.Match(new AttributePath(null, "active", null), recorder)!(user);
        UserAccessors.Match(new AttributePath(null, "meta", "lastModified"), recorder)!(user);
        UserAccessors.Match(new AttributePath(Enterprise, "manager", null), recorder)!(user);
        UserAccessors.Match(new AttributePath(null, "schemas", null), recorder)!(user);
        Assert.Equal(
            ["bool:True", "date:2026-01-01T00:00:00.0000000+00:00", "string:m1", "string:urn:ietf:params:scim:schemas:core:2.0:User", "string:" + Enterprise],
            recorder.Seen);
    }

    [Fact]
    public void Match_stops_at_the_first_matching_element()
    {
        var user = Sample();
        var calls = 0;
        var test = new Counting(() => calls++);
        Assert.True(UserAccessors.Match(new AttributePath(null, "emails", "value"), test)!(user));
        Assert.Equal(1, calls);
    }

    private sealed class Counting(Action onCall) : ValueTest
    {
        public override bool Test(string? value)
        {
            onCall();
            return true;
        }
    }

    [Fact]
    public void Present_and_IsPresent_treat_empty_values_as_absent()
    {
        var user = Sample();
        Assert.True(UserAccessors.Present(new AttributePath(null, "name", null))!(user));
        Assert.False(UserAccessors.Present(new AttributePath(null, "name", "familyName"))!(user));
        Assert.True(UserAccessors.Present(new AttributePath(null, "emails", "type"))!(user));
        Assert.True(UserAccessors.Present(new AttributePath(Enterprise, "manager", "value"))!(user));
        Assert.False(NameAccessors.IsPresent(new Name()));
        Assert.False(NameAccessors.IsPresent(new Name { GivenName = "" }));
        Assert.True(NameAccessors.IsPresent(new Name { GivenName = "x" }));
        Assert.False(UserAccessors.IsPresent(new User()));
        Assert.True(UserAccessors.IsPresent(new User { EnterpriseUser = new EnterpriseUser { Department = "x" } }));
    }

    [Fact]
    public void MatchElements_builds_the_element_predicate_with_the_element_accessors()
    {
        var factory = new TypeRecordingFactory();
        var match = UserAccessors.MatchElements(new AttributePath(null, "emails", null), factory);
        Assert.NotNull(match);
        Assert.Equal(typeof(EmailAccessors), factory.Accessors);
        Assert.Equal("emails", factory.Attribute!.Name);
        Assert.True(match(Sample()));
        Assert.False(match(new User()));
        Assert.Null(UserAccessors.MatchElements(new AttributePath(null, "name", null), factory));
        Assert.Null(UserAccessors.MatchElements(new AttributePath(null, "userName", null), factory));
        Assert.NotNull(GroupAccessors.MatchElements(new AttributePath(null, "members", null), factory));
    }

    private sealed class TypeRecordingFactory : IElementPredicateFactory
    {
        public Type? Accessors { get; private set; }

        public AttributeDefinition? Attribute { get; private set; }

        public Func<TElement, bool> Create<TElement, TAccessors>(AttributeDefinition attribute)
            where TAccessors : IScimAccessors<TElement>
        {
            Accessors = typeof(TAccessors);
            Attribute = attribute;
            return static _ => true;
        }
    }
}
