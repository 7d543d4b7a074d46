using System.Reflection;
using System.Runtime.Loader;
using FastScim.Core.Resources;
using FastScim.Generators.Tests.Infrastructure;
using LiteDB;

namespace FastScim.Generators.Tests.Runtime;

/// <summary>
/// Compiles the Bson output (as FastScim.Storage would get it) in memory against the real Core and
/// LiteDB assemblies, loads it, and runs ToDocument/FromDocument. Reflection is test-side only.
/// </summary>
public class GeneratedBsonTests
{
    private static readonly Lazy<Assembly> BsonAssembly = new(Compile);

    [Fact]
    public void User_maps_to_a_document_and_back()
    {
        var user = new User
        {
            Id = "u1",
            ExternalId = "e1",
            UserName = "Bjensen",
            Password = "hash",
            Active = true,
            Name = new Name { GivenName = "Barbara", FamilyName = "Jensen" },
            Emails = new List<Email> { new() { Value = "b@example.com", Primary = true, Type = "work" } },
            EnterpriseUser = new EnterpriseUser { EmployeeNumber = "42", Manager = new Manager { Value = "m1" } },
            Meta = new ResourceMeta
            {
                ResourceType = "User",
                Created = new DateTimeOffset(2010, 1, 23, 4, 56, 22, TimeSpan.Zero),
                LastModified = new DateTimeOffset(2011, 5, 13, 4, 42, 34, TimeSpan.Zero),
                Version = "W/\"1\"",
                Location = "https://example.com/Users/u1",
            },
        };

        var document = (BsonDocument)Invoke("UserBson", "ToDocument", user);
        Assert.Equal("u1", document["_id"].AsString);
        Assert.Equal("Bjensen", document["userName"].AsString);
        Assert.Equal("hash", document["password"].AsString);
        Assert.True(document["active"].AsBoolean);
        Assert.Equal("b@example.com", document["emails"].AsArray[0].AsDocument["value"].AsString);
        Assert.Equal("42", document["enterpriseUser"].AsDocument["employeeNumber"].AsString);
        Assert.False(document["meta"].AsDocument.ContainsKey("location"));

        // through LiteDB's own serializer, as the store would
        var stored = BsonSerializer.Deserialize(BsonSerializer.Serialize(document));
        var back = (User)Invoke("UserBson", "FromDocument", stored);
        Assert.Equal("u1", back.Id);
        Assert.Equal("e1", back.ExternalId);
        Assert.Equal("Bjensen", back.UserName);
        Assert.Equal("hash", back.Password);
        Assert.True(back.Active);
        Assert.Equal("Jensen", back.Name!.FamilyName);
        Assert.True(back.Emails!.Single().Primary);
        Assert.Equal("m1", back.EnterpriseUser!.Manager!.Value);
        Assert.NotNull(back.Meta);
        Assert.Equal(user.Meta.Created, back.Meta.Created);
        Assert.Equal(user.Meta.LastModified, back.Meta.LastModified);
        Assert.Equal("W/\"1\"", back.Meta.Version);
        Assert.Null(back.Meta.Location);
    }

    [Fact]
    public void Group_maps_to_a_document_and_back()
    {
        var group = new Group { Id = "g1", DisplayName = "Tour Guides", Members = new List<Member> { new() { Value = "u1", Type = "User" } } };
        var document = (BsonDocument)Invoke("GroupBson", "ToDocument", group);
        var back = (Group)Invoke("GroupBson", "FromDocument", BsonSerializer.Deserialize(BsonSerializer.Serialize(document)));
        Assert.Equal("Tour Guides", back.DisplayName);
        Assert.NotNull(back.Members);
        Assert.Equal("u1", back.Members.Single().Value);
        Assert.Equal("User", back.Members[0].Type);
    }

    [Fact]
    public void Indexes_cover_unique_attributes_lower_cased_when_not_caseExact()
    {
        var userIndexes = (System.Collections.IEnumerable)Property("UserBson", "Indexes");
        var rendered = userIndexes.Cast<object>().Select(i => i.ToString()).ToArray();
        Assert.Equal(new[] { "BsonIndex { Name = userName, Expression = LOWER($.userName), Unique = True }" }, rendered);
        Assert.Empty(((System.Collections.IEnumerable)Property("GroupBson", "Indexes")).Cast<object>());
    }

    private static object Invoke(string type, string method, object argument)
    {
        try
        {
            return BsonAssembly.Value.GetType("FastScim.Storage.Bson." + type, throwOnError: true)!.GetMethod(method)!.Invoke(null, new[] { argument })!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }
    }

    private static object Property(string type, string property)
        => BsonAssembly.Value.GetType("FastScim.Storage.Bson." + type, throwOnError: true)!.GetProperty(property)!.GetValue(null)!;

    private static Assembly Compile()
    {
        var result = GeneratorHarness.Run("Bson", GeneratorHarness.RealSchemas());
        Assert.Empty(result.CompileErrors());
        using var stream = new MemoryStream();
        var emit = result.Output.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        stream.Position = 0;
        return AssemblyLoadContext.Default.LoadFromStream(stream);
    }
}
