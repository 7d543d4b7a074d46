using System.Reflection;
using System.Runtime.Loader;
using FastScim.Core.Resources;
using FastScim.Generators.Tests.Infrastructure;
using LiteDB;

namespace FastScim.Generators.Tests.Runtime;

/// <summary>
/// Compiles the Bson output (as FastScim.Storage would get it) in memory against the real Core and
/// LiteDB assemblies, loads it, and runs ToDocument/FromDocument and ToBytes (against LiteDB's own serialisation). Reflection is test-side only.
/// </summary>
public class GeneratedBsonTests
{
    private static readonly Lazy<Assembly> BsonAssembly = new(Compile);
    private static readonly Lazy<Assembly> DeviceAssembly = new(CompileDevice);

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
    public void User_ToBytes_writes_what_LiteDB_serialises_for_its_document()
    {
        var user = FullUser();
        var expected = BsonSerializer.Serialize((BsonDocument)Invoke("UserBson", "ToDocument", user));
        Assert.Equal(expected, (byte[])Invoke("UserBson", "ToBytes", user, null));

        // a different user through the same (reused) writer, and one with an attribute omitted
        var other = new User { Id = "u2", UserName = "jsmith", Emails = new List<Email>() };
        Assert.Equal(BsonSerializer.Serialize((BsonDocument)Invoke("UserBson", "ToDocument", other)), (byte[])Invoke("UserBson", "ToBytes", other, null));
        var withoutEmails = (BsonDocument)Invoke("UserBson", "ToDocument", user);
        withoutEmails.Remove("emails");
        Assert.Equal(BsonSerializer.Serialize(withoutEmails), (byte[])Invoke("UserBson", "ToBytes", user, "emails"));
    }

    [Fact]
    public void Group_ToBytes_leaves_out_the_omitted_members_as_Remove_would()
    {
        var group = new Group { Id = "g1", ExternalId = "x", DisplayName = "Tour Guides", Members = new List<Member> { new() { Value = "u1", Type = "User" }, new() { Value = "g2", Ref = "../Groups/g2" } } };
        var document = (BsonDocument)Invoke("GroupBson", "ToDocument", group);
        Assert.Equal(BsonSerializer.Serialize(document), (byte[])Invoke("GroupBson", "ToBytes", group, null));
        document.Remove("members");
        var withoutMembers = (byte[])Invoke("GroupBson", "ToBytes", group, "members");
        Assert.Equal(BsonSerializer.Serialize(document), withoutMembers);
        Assert.False(BsonSerializer.Deserialize(withoutMembers).ContainsKey("members"));
    }

    [Fact]
    public void Every_attribute_type_ToBytes_writes_what_LiteDB_serialises()
    {
        // AllTypesTests' Device: boolean, decimal, integer, dateTime, binary, reference, string; single, multi-valued and in a complex list
        var bson = DeviceAssembly.Value.GetType("FastScim.Storage.Bson.DeviceBson", throwOnError: true)!;
        var value = FullDevice();
        var document = (BsonDocument)Call(bson.GetMethod("ToDocument")!, value);
        Assert.Equal(BsonSerializer.Serialize(document), (byte[])Call(bson.GetMethod("ToBytes")!, value, null));
        document.Remove("weight");
        Assert.Equal(BsonSerializer.Serialize(document), (byte[])Call(bson.GetMethod("ToBytes")!, value, "Weight"));
    }

    [Fact]
    public void Every_attribute_type_FromBytes_reads_what_FromDocument_reads_of_LiteDB_document()
    {
        // the Device's full round trip, then its document mutated: numbers of every width for integer and decimal
        // attributes (rounded, or overflowing, as Convert does), wrong types, nulls, repeated and re-cased keys
        var bson = DeviceAssembly.Value.GetType("FastScim.Storage.Bson.DeviceBson", throwOnError: true)!;
        var value = FullDevice();
        var bytes = (byte[])Call(bson.GetMethod("ToBytes")!, value, null);
        // (not the same bytes again: both readers drop the null item of Tags, as FromDocument keeps only strings)
        Assert.Equal(DeviceOutcome(bson, bytes, through: true), DeviceOutcome(bson, bytes, through: false));
        Assert.NotEqual(bytes, DeviceBytes(bson, ReadSpan(bson, bytes)));

        var document = (BsonDocument)Call(bson.GetMethod("ToDocument")!, value);
        var mutations = new FastScim.Tests.Shared.MutatedBson(7670);
        var differentOutcomes = new HashSet<string>();
        for (var i = 0; i < 600; i++)
        {
            var mutated = mutations.Mutate(document);
            var expected = DeviceOutcome(bson, mutated, through: true);
            Assert.True(expected == DeviceOutcome(bson, mutated, through: false), "mutation " + i + ": " + JsonSerializer.Serialize(BsonSerializer.Deserialize(mutated)) + "\n" + expected + "\n" + DeviceOutcome(bson, mutated, through: false) + "\n" + Convert.ToHexString(mutated));
            differentOutcomes.Add(expected);
        }

        // the mutations reach throwing conversions and many distinct resources, or this test would prove little
        Assert.Contains(nameof(OverflowException), differentOutcomes);
        Assert.True(differentOutcomes.Count > 400, differentOutcomes.Count + " distinct outcomes");
    }

    private static string DeviceOutcome(Type bson, byte[] bytes, bool through)
    {
        try
        {
            var read = through
                ? Call(bson.GetMethod("FromDocument")!, BsonSerializer.Deserialize(bytes))
                : ReadSpan(bson, bytes);
            return Convert.ToHexString(DeviceBytes(bson, read));
        }
        catch (Exception ex) when (ex is OverflowException or ArgumentException or FormatException or InvalidCastException)
        {
            return ex.GetType().Name;
        }
    }

    // FromBytes takes a ReadOnlySpan<byte>, which reflection cannot box: a delegate bound to the method calls it
    private static object ReadSpan(Type bson, byte[] bytes) =>
        bson.GetMethod("FromBytes")!.CreateDelegate<Func<ReadOnlySpan<byte>, object>>()(bytes);

    private static byte[] DeviceBytes(Type bson, object device) => (byte[])Call(bson.GetMethod("ToBytes")!, device, null);

    [Fact]
    public void Indexes_cover_unique_attributes_lower_cased_when_not_caseExact()
    {
        var userIndexes = (System.Collections.IEnumerable)Property("UserBson", "Indexes");
        var rendered = userIndexes.Cast<object>().Select(i => i.ToString()).ToArray();
        Assert.Equal(new[] { "BsonIndex { Name = userName, Expression = LOWER($.userName), Unique = True }" }, rendered);
        Assert.Empty(((System.Collections.IEnumerable)Property("GroupBson", "Indexes")).Cast<object>());
    }

    private static object Invoke(string type, string method, params object?[] arguments)
        => Call(BsonAssembly.Value.GetType("FastScim.Storage.Bson." + type, throwOnError: true)!.GetMethod(method)!, arguments);

    private static object Call(MethodInfo method, params object?[] arguments)
    {
        try
        {
            return method.Invoke(null, arguments)!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }
    }

    private static object Make(Type type, Dictionary<string, object?> properties)
    {
        var value = Activator.CreateInstance(type)!;
        foreach (var (name, property) in properties)
        {
            type.GetProperty(name)!.SetValue(value, property);
        }

        return value;
    }

    private static User FullUser() => new()
    {
        Id = "u1",
        ExternalId = "e1",
        UserName = "Bjensen",
        Name = new Name { Formatted = "Ms. Barbara J Jensen, III", FamilyName = "Jensen", GivenName = "Barbara", MiddleName = "Jane", HonorificPrefix = "Ms.", HonorificSuffix = "III" },
        DisplayName = "Babs Jensen",
        NickName = "Babs",
        ProfileUrl = "https://login.example.com/bjensen",
        Title = "Tour Guide",
        UserType = "Employee",
        PreferredLanguage = "en-US",
        Locale = "en-US",
        Timezone = "America/Los_Angeles",
        Active = true,
        Password = "hash",
        Emails = new List<Email> { new() { Value = "bjensen@example.com", Type = "work", Primary = true }, new() { Value = "babs@jensen.org", Type = "home" } },
        PhoneNumbers = new List<PhoneNumber> { new() { Value = "555-555-5555", Type = "work" }, new() { Value = "555-555-4444", Type = "mobile" } },
        Ims = new List<Im> { new() { Value = "someaimhandle", Type = "aim" } },
        Photos = new List<Photo> { new() { Value = "https://photos.example.com/profilephoto/72930000000Ccne/F", Type = "photo" } },
        Addresses = new List<Address>
        {
            new() { Type = "work", StreetAddress = "100 Universal City Plaza", Locality = "Hollywood", Region = "CA", PostalCode = "91608", Country = "USA", Formatted = "100 Universal City Plaza\nHollywood, CA 91608 USA", Primary = true },
        },
        Groups = new List<UserGroup> { new() { Value = "e9e30dba", Ref = "../Groups/e9e30dba", Display = "Tour Guides" } },
        Entitlements = new List<Entitlement>(),
        Roles = new List<Role> { new() { Value = "r", Display = "Rôle ✓", Primary = false } },
        X509Certificates = new List<X509Certificate> { new() { Value = "MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAwTjELMAkGA1UEBhMCVVMx" } },
        EnterpriseUser = new EnterpriseUser { EmployeeNumber = "701984", CostCenter = "4130", Organization = "Universal Studios", Division = "Theme Park", Department = "Tour Operations", Manager = new Manager { Value = "26118915", Ref = "../Users/26118915", DisplayName = "John Smith" } },
        Meta = new ResourceMeta
        {
            ResourceType = "User",
            Created = new DateTimeOffset(2010, 1, 23, 4, 56, 22, TimeSpan.FromHours(2)).AddTicks(9_999),
            LastModified = new DateTimeOffset(2011, 5, 13, 4, 42, 34, TimeSpan.Zero),
            Version = "W/\"a330bc54f0671c9\"",
            Location = "https://example.com/v2/Users/u1",
        },
    };

    /// <summary>AllTypesTests' Device with every attribute set, extremes included, and a complex list of two slots.</summary>
    private static object FullDevice()
    {
        var device = DeviceAssembly.Value.GetType("FastScim.Core.Resources.Device", throwOnError: true)!;
        var slot = DeviceAssembly.Value.GetType("FastScim.Core.Resources.Slot", throwOnError: true)!;
        var seen = new DateTimeOffset(2010, 1, 23, 4, 56, 22, TimeSpan.FromHours(-7)).AddTicks(1_234_567);
        var value = Make(device, new()
        {
            ["Id"] = "d1",
            ["Meta"] = new ResourceMeta { ResourceType = "Device", Created = seen, LastModified = DateTimeOffset.MaxValue, Version = "W/\"2\"" },
            ["Serial"] = "S-µ-1",
            ["Enabled"] = false,
            ["Weight"] = 12.340m,
            ["Ports"] = long.MinValue,
            ["Seen"] = seen,
            ["Blob"] = "AAEC",
            ["Owner"] = "../Users/u1",
            ["Tags"] = new List<string?> { "a", null, "" },
            ["Flags"] = new List<bool> { true, false },
            ["Sizes"] = new List<long> { 0, long.MaxValue, -1 },
            ["Ratios"] = new List<decimal> { 0.5m, -79228162514264337593543950335m, 1.0000000000000000000000000001m },
            ["Visits"] = new List<DateTimeOffset> { DateTimeOffset.MinValue, DateTimeOffset.MaxValue, seen },
            ["Secret"] = "s",
        });
        var slots = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(slot))!;
        slots.Add(Make(slot, new() { ["Opened"] = seen, ["Count"] = 3L, ["UserName"] = "u" }));
        slots.Add(Make(slot, new()));
        device.GetProperty("Slots")!.SetValue(value, slots);

        return value;
    }

    private static object Property(string type, string property)
        => BsonAssembly.Value.GetType("FastScim.Storage.Bson." + type, throwOnError: true)!.GetProperty(property)!.GetValue(null)!;

    /// <summary>AllTypesTests' schema, model and Bson output in one assembly (as Core and Storage would be), in its own load context.</summary>
    private static Assembly CompileDevice()
    {
        var files = new[] { new InMemoryText("/s/Device.json", Emitting.AllTypesTests.Schema), new InMemoryText("/s/resource-types.json", Emitting.AllTypesTests.ResourceTypes) };
        var model = GeneratorHarness.Run("Model", files);
        var storage = model.Output
            .AddReferences(Microsoft.CodeAnalysis.MetadataReference.CreateFromFile(typeof(BsonDocument).Assembly.Location))
            .AddSyntaxTrees(GeneratorHarness.StorageSources().Select(static s => Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(s, GeneratorHarness.ParseOptions)));
        GeneratorHarness.CreateDriver("Bson", files).RunGeneratorsAndUpdateCompilation(storage, out var output, out _);
        using var stream = new MemoryStream();
        var emit = output.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        stream.Position = 0;
        return new AssemblyLoadContext("device-bson").LoadFromStream(stream);
    }

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
