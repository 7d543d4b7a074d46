using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FastScim.Core.Compatibility;
using FastScim.Core.Patch;
using FastScim.Core.Protocol;
using FastScim.Core.Resources;
using static FastScim.Core.Tests.Patch.PatchFixtures;

namespace FastScim.Core.Tests.Patch;

/// <summary>
/// <see cref="SimplePatch"/> against <see cref="PatchEngine"/>: on random users (with the empty
/// objects and arrays a client may POST) and random operations, the typed path either declines and
/// changes nothing, or ends exactly where the engine and the generated reader end — the same
/// rendering, the same password, or the same error.
/// </summary>
public class SimplePatchTests
{
    private const int Cases = 3000;
    private static readonly string[] Words = ["alpha", "Beta", "", "a@x.org", "ünïcode", "x\"y"];

    [Fact]
    public void Applies_what_the_engine_applies_or_declines_without_changing_anything()
    {
        var random = new Random(20261129);
        int applied = 0, declined = 0, refused = 0;
        for (var n = 0; n < Cases; n++)
        {
            var current = RandomUser(random);
            var operations = Parse(RandomOperations(random, random.Next(1, 4), current.Id!));
            var (engineUser, engineError) = ThroughEngine(current, operations);

            // The store's copy (IResourceCollection.UpdateAsync): it shares its lists and objects
            // with the stored version, which must come out unchanged whatever the PATCH does.
            var stored = Render(current);
            var snapshot = current.DeepCopy();
            var copy = current.Copy();
            var before = Render(copy);
            bool took;
            ScimException? simpleError = null;
            try
            {
                took = SimplePatch.TryApply(ref copy, operations, ResourceSchema.User, UserJson.ReadAttribute, static u => u.DeepCopy());
            }
            catch (ScimException e)
            {
                took = true;
                simpleError = e;
            }

            var what = $"case {n}: {stored} with {string.Join(", ", operations.Select(o => $"{o.Op} {o.Path} {o.Value?.ToJsonString()}"))}";
            Assert.True(SameValues(snapshot, current), what + $"\nthe stored version became {Render(current)}");
            if (!took)
            {
                Assert.Equal(before, Render(copy));
                declined++;
                continue;
            }

            if (engineError is not null || simpleError is not null)
            {
                Assert.True(engineError is not null && simpleError is not null, what + $": engine {engineError?.Detail}, simple {simpleError?.Detail}");
                Assert.Equal((engineError!.Status, engineError.ScimType), (simpleError!.Status, simpleError.ScimType));
                if (engineError.Detail != simpleError.Detail)
                {
                    // Several wrong values: the engine's reader names the first in its document's
                    // order, SimplePatch the first operation's. It must name a value that is wrong
                    // by itself.
                    var alone = operations.Select(o => ThroughEngine(current, [o]).Error?.Detail).ToList();
                    Assert.Contains(simpleError.Detail, alone);
                }

                refused++;
                continue;
            }

            Assert.True(Render(engineUser!) == Render(copy), what + $"\nengine {Render(engineUser!)}\nsimple {Render(copy)}");
            Assert.Equal(engineUser!.Password, copy.Password);
            applied++;
        }

        // Each outcome is exercised, so none of the checks above is vacuous.
        Assert.True(applied > Cases / 4, $"applied {applied}");
        Assert.True(declined > Cases / 10, $"declined {declined}");
        Assert.True(refused > Cases / 50, $"refused {refused}");
    }

    [Fact]
    public void HasUnassigned_says_without_changing_anything_whether_RemoveUnassigned_would_change_the_user()
    {
        // SimplePatch cleans a copy that shares the stored version's lists and objects only after
        // making it its own, and only when this says there is something to clean.
        var random = new Random(20261201);
        int unclean = 0, clean = 0;
        for (var n = 0; n < Cases; n++)
        {
            var user = RandomUser(random);
            var rendered = Render(user);
            bool has = user.HasUnassigned();
            Assert.Equal(rendered, Render(user));

            // Compared member by member: a rendering hides an empty list, which cleaning drops.
            var cleaned = user.DeepCopy();
            cleaned.RemoveUnassigned();
            Assert.True(has == !SameValues(user, cleaned), $"case {n}: {rendered}, HasUnassigned {has}");
            (has ? ref unclean : ref clean)++;
        }

        Assert.True(unclean > Cases / 4 && clean > Cases / 10, $"unclean {unclean}, clean {clean}");
    }

    [Fact]
    public void HasUnassigned_sees_what_a_reader_never_makes_and_changes_none_of_it()
    {
        // A readOnly member set, a null item, an empty extension: RemoveUnassigned clears or drops
        // each; the JSON reader makes none of them, so the random users above never have them.
        User[] users =
        [
            new() { UserName = "u", EnterpriseUser = new EnterpriseUser { Manager = new Manager { Value = "m", DisplayName = "readOnly" } } },
            new() { UserName = "u", Groups = [new UserGroup { Value = "g" }] },
            new() { UserName = "u", Emails = [null!] },
            new() { UserName = "u", EnterpriseUser = new EnterpriseUser() },
            new() { UserName = "u", Addresses = [new Address { Locality = "x" }, new Address()] },
        ];
        foreach (var user in users)
        {
            var snapshot = user.DeepCopy();
            Assert.True(user.HasUnassigned());
            Assert.True(SameValues(snapshot, user));
            var cleaned = user.DeepCopy();
            cleaned.RemoveUnassigned();
            Assert.False(SameValues(user, cleaned));
            Assert.False(cleaned.HasUnassigned());
        }

        Assert.False(new User { UserName = "u", EnterpriseUser = new EnterpriseUser { Manager = new Manager { Value = "m" } } }.HasUnassigned());

        var group = new FastScim.Core.Resources.Group { DisplayName = "g", Members = [new Member { Value = "m" }, new Member()] };
        var groupSnapshot = group.DeepCopy();
        Assert.True(group.HasUnassigned());
        Assert.True(SameValues(groupSnapshot, group));
        group.RemoveUnassigned();
        Assert.False(group.HasUnassigned());
        Assert.Equal(["m"], group.Members!.Select(static m => m.Value));
    }

    /// <summary>Whether two resources (or values of them) hold the same values, list by list and object by object.</summary>
    private static bool SameValues(object? a, object? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (a is System.Collections.IList left && b is System.Collections.IList right)
        {
            return left.Count == right.Count && Enumerable.Range(0, left.Count).All(i => SameValues(left[i], right[i]));
        }

        var type = a.GetType();
        if (type != b.GetType())
        {
            return false;
        }

        if (a is ResourceMeta meta && b is ResourceMeta other)
        {
            // Its values, not its kept rendering (DeepCopy makes a meta of its own).
            return (meta.ResourceType, meta.Created, meta.LastModified, meta.Version, meta.Location, meta.LocationBase)
                == (other.ResourceType, other.Created, other.LastModified, other.Version, other.Location, other.LocationBase);
        }

        if (type.Namespace != typeof(User).Namespace)
        {
            return Equals(a, b);
        }

        return type.GetProperties().Where(static p => p.GetIndexParameters().Length == 0).All(p => SameValues(p.GetValue(a), p.GetValue(b)));
    }

    [Fact]
    public void Applies_to_a_group_what_the_engine_applies_or_declines_without_changing_anything()
    {
        var random = new Random(20261130);
        int applied = 0, declined = 0;
        for (var n = 0; n < Cases / 3; n++)
        {
            var json = new JsonObject { ["displayName"] = Word(random) + "x" };
            if (random.Next(2) == 0)
            {
                json["externalId"] = Word(random);
            }

            json["members"] = random.Next(3) switch
            {
                0 => new JsonArray(),
                1 => new JsonArray(new JsonObject { ["value"] = "m" + random.Next(9) }, new JsonObject()),
                _ => null,
            };
            var current = FastScim.Core.Resources.GroupJson.Read(Encoding.UTF8.GetBytes(json.ToJsonString()));
            current.Id = "g-" + random.Next(1000);
            var attribute = random.Next(4) switch { 0 => "displayName", 1 => "DisplayName", 2 => "externalId", _ => "urn:ietf:params:scim:schemas:core:2.0:Group:displayName" };
            var value = random.Next(5) switch { 0 => "7", 1 => "true", 2 => "\"\"", _ => JsonSerializer.Serialize(Word(random)) };
            var operations = Parse([random.Next(6) switch
            {
                0 => $$$"""{"op":"replace","value":{"displayName":{{{value}}}}}""",
                1 => $$$"""{"op":"replace","value":{"id":"{{{current.Id}}}","displayName":{{{value}}}}}""",
                2 => """{"op":"add","path":"members","value":[{"value":"m1"}]}""",
                _ => $$"""{"op":"Replace","path":"{{attribute}}","value":{{value}}}""",
            }]);

            (string? Rendering, string? Error) engine;
            try
            {
                var patched = FastScim.Core.Resources.GroupJson.Read(Encoding.UTF8.GetBytes(PatchEngine.ApplyToCopy(ToDom(current), operations, ResourceSchema.Group).ToJsonString()));
                patched.Id = current.Id;
                engine = (Render(patched), null);
            }
            catch (ScimException e)
            {
                engine = (null, e.Detail);
            }

            var snapshot = current.DeepCopy();
            var copy = current.Copy();
            var before = Render(copy);
            (string? Rendering, string? Error) simple;
            try
            {
                if (!SimplePatch.TryApply(ref copy, operations, ResourceSchema.Group, FastScim.Core.Resources.GroupJson.ReadAttribute, static g => g.DeepCopy()))
                {
                    Assert.Equal(before, Render(copy));
                    Assert.True(SameValues(snapshot, current));
                    declined++;
                    continue;
                }

                simple = (Render(copy), null);
            }
            catch (ScimException e)
            {
                simple = (null, e.Detail);
            }

            Assert.True(SameValues(snapshot, current), $"case {n}: the stored group became {Render(current)}");
            Assert.Equal(engine, simple);
            applied++;
        }

        Assert.True(applied > Cases / 10, $"applied {applied}");
        Assert.True(declined > Cases / 30, $"declined {declined}");
    }

    private static string Render(FastScim.Core.Resources.Group group)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            FastScim.Core.Resources.GroupJson.Write(writer, group);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Okta_deactivation_without_a_path_sets_active()
    {
        var user = UserJson.Read("""{"userName":"bjensen","active":true,"name":{"givenName":"Barbara"}}"""u8);
        var operations = Parse(["""{"op":"replace","value":{"active":false}}"""]);

        Assert.True(SimplePatch.TryApply(ref user, operations, ResourceSchema.User, UserJson.ReadAttribute, static u => u.DeepCopy()));

        Assert.False(user.Active);
        Assert.Equal("Barbara", user.Name?.GivenName);
    }

    [Fact]
    public void Entra_boolean_string_is_read_with_its_tolerance_recorded()
    {
        var user = UserJson.Read("""{"userName":"bjensen","active":true}"""u8);
        var operations = Parse(["""{"op":"Replace","path":"active","value":"False"}"""]);
        var used = Lenient(() => Assert.True(SimplePatch.TryApply(ref user, operations, ResourceSchema.User, UserJson.ReadAttribute, static u => u.DeepCopy())));

        Assert.False(user.Active);
        Assert.True(used.HasFlag(ToleranceRule.BooleanString));
    }

    [Fact]
    public void A_sub_attribute_of_a_single_complex_value_creates_the_value()
    {
        var user = UserJson.Read("""{"userName":"bjensen","name":{"familyName":"Jensen"}}"""u8);
        var operations = Parse([
            """{"op":"Replace","path":"name.givenName","value":"Barbara"}""",
            $$"""{"op":"Add","path":"{{EnterpriseUrn}}:manager.value","value":"26118915-6090-4610-87e4-49d8ca9f808d"}""",
        ]);

        Assert.True(SimplePatch.TryApply(ref user, operations, ResourceSchema.User, UserJson.ReadAttribute, static u => u.DeepCopy()));

        Assert.Equal(("Barbara", "Jensen"), (user.Name?.GivenName, user.Name?.FamilyName));
        Assert.Equal("26118915-6090-4610-87e4-49d8ca9f808d", user.EnterpriseUser?.Manager?.Value);
    }

    [Fact]
    public void A_path_the_strict_profile_refuses_is_left_to_the_engine_which_names_the_operation()
    {
        var user = UserJson.Read("""{"userName":"bjensen"}"""u8);
        var operations = Parse(["""{"op":"replace","path":"department","value":"Tour Operations"}"""]);

        Tolerance.Current = new ToleranceContext(strict: true);
        try
        {
            Assert.False(SimplePatch.TryApply(ref user, operations, ResourceSchema.User, UserJson.ReadAttribute, static u => u.DeepCopy()));
            var error = Assert.Throws<ScimException>(() => PatchEngine.ApplyToCopy(ToDom(user), operations, ResourceSchema.User));
            Assert.StartsWith("Operations[0]", error.Detail, StringComparison.Ordinal);
        }
        finally
        {
            Tolerance.Current = null;
        }

        Assert.Null(user.EnterpriseUser);
    }

    [Fact]
    public void Entras_flagged_map_of_dotted_and_qualified_keys_is_applied_with_its_tolerance_recorded()
    {
        var user = UserJson.Read("""{"userName":"bjensen"}"""u8);
        var operations = Parse([$$$"""{"op":"replace","value":{"displayName":"Bjfe","name.givenName":"Kkom","name.familyName":"Unua","{{{EnterpriseUrn}}}:employeeNumber":"Aklq"}}"""]);
        var used = Lenient(() => Assert.True(SimplePatch.TryApply(ref user, operations, ResourceSchema.User, UserJson.ReadAttribute, static u => u.DeepCopy())));

        Assert.Equal(("Bjfe", "Kkom", "Unua", "Aklq"), (user.DisplayName, user.Name?.GivenName, user.Name?.FamilyName, user.EnterpriseUser?.EmployeeNumber));
        Assert.True(used.HasFlag(ToleranceRule.PathlessAttributePath));
    }

    [Fact]
    public void Oktas_group_rename_repeating_the_groups_own_id_is_applied_with_its_tolerance_recorded()
    {
        var group = FastScim.Core.Resources.GroupJson.Read("""{"displayName":"Test"}"""u8);
        group.Id = "abf4dd94";
        var operations = Parse(["""{"op":"replace","value":{"id":"abf4dd94","displayName":"Test SCIMv2"}}"""]);
        var used = Lenient(() => Assert.True(SimplePatch.TryApply(ref group, operations, ResourceSchema.Group, FastScim.Core.Resources.GroupJson.ReadAttribute, static g => g.DeepCopy())));

        Assert.Equal(("abf4dd94", "Test SCIMv2"), (group.Id, group.DisplayName));
        Assert.True(used.HasFlag(ToleranceRule.OwnIdInPatch));
    }

    [Fact]
    public void An_extension_attribute_creates_the_extension()
    {
        var user = UserJson.Read("""{"userName":"bjensen"}"""u8);
        var operations = Parse([$$"""{"op":"add","path":"{{EnterpriseUrn}}:department","value":"Tour Operations"}"""]);

        Assert.True(SimplePatch.TryApply(ref user, operations, ResourceSchema.User, UserJson.ReadAttribute, static u => u.DeepCopy()));

        Assert.Equal("Tour Operations", user.EnterpriseUser?.Department);
    }

    [Theory]
    [InlineData("""{"op":"remove","path":"title"}""")]
    [InlineData("""{"op":"replace","path":"title","value":null}""")]
    [InlineData("""{"op":"replace","path":"emails.type","value":"x"}""")]
    [InlineData("""{"op":"replace","path":"name","value":{"givenName":"x"}}""")]
    [InlineData("""{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName","value":"x"}""")]
    [InlineData("""{"op":"remove","path":"name.givenName"}""")]
    [InlineData("""{"op":"replace","path":"emails[type eq \"work\"].value","value":"x"}""")]
    [InlineData("""{"op":"replace","path":"id","value":"x"}""")]
    [InlineData("""{"op":"replace","path":"password","value":"x"}""")]
    [InlineData("""{"op":"replace","path":"title","value":["x"]}""")]
    [InlineData("""{"op":"replace","path":"noSuchAttribute","value":"x"}""")]
    [InlineData("""{"op":"replace","value":{"title":"x","id":"y"}}""")]
    [InlineData("""{"op":"replace","value":{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"x"}}}""")]
    public void Declines_what_needs_the_engine_and_changes_nothing(string operation)
    {
        var user = UserJson.Read("""{"userName":"bjensen","title":"Tour Guide","emails":[{"value":"b@x.org","type":"work"}]}"""u8);
        var before = Render(user);
        var operations = Parse(["""{"op":"replace","path":"displayName","value":"Babs"}""", operation]);

        Assert.False(SimplePatch.TryApply(ref user, operations, ResourceSchema.User, UserJson.ReadAttribute, static u => u.DeepCopy()));

        Assert.Equal(before, Render(user));
    }

    /// <summary>Runs <paramref name="action"/> as a lenient request would, and answers the tolerance rules it used.</summary>
    private static ToleranceRule Lenient(Action action)
    {
        var context = new ToleranceContext(strict: false);
        Tolerance.Current = context;
        try
        {
            action();
        }
        finally
        {
            Tolerance.Current = null;
        }

        return context.Used;
    }

    /// <summary>What the server did before SimplePatch: the engine on the user's JSON, read back, the password kept, the id set by the store.</summary>
    private static (User? User, ScimException? Error) ThroughEngine(User current, IReadOnlyList<PatchOperation> operations)
    {
        try
        {
            var patched = PatchEngine.ApplyToCopy(ToDom(current), operations, ResourceSchema.User);
            var user = ReadUser(patched);
            user.Password = current.Password;
            user.Id = current.Id;
            return (user, null);
        }
        catch (ScimException e)
        {
            return (null, e);
        }
    }

    private static PatchOperation[] Parse(List<string> operations) =>
        [.. PatchRequest.Parse(Encoding.UTF8.GetBytes("{\"Operations\":[" + string.Join(",", operations) + "]}")).Operations];

    private static string Render(User user)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            UserJson.Write(writer, user);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A user as a POST body makes one: sometimes with empty objects and arrays, and a password.</summary>
    private static User RandomUser(Random random)
    {
        var json = new JsonObject { ["userName"] = "user" + random.Next(100000) };
        json["name"] = random.Next(4) switch
        {
            0 => new JsonObject(),
            1 => new JsonObject { ["givenName"] = Word(random) },
            _ => null,
        };
        foreach (var simple in new[] { "displayName", "nickName", "title", "locale", "externalId" })
        {
            if (random.Next(2) == 0)
            {
                json[simple] = Word(random);
            }
        }

        if (random.Next(2) == 0)
        {
            json["active"] = random.Next(2) == 0;
        }

        if (random.Next(3) == 0)
        {
            json["password"] = "secret" + random.Next(10);
        }

        json["emails"] = random.Next(4) switch
        {
            0 => new JsonArray(),
            1 => new JsonArray(new JsonObject()),
            2 => new JsonArray(new JsonObject { ["value"] = Word(random), ["type"] = "work" }, new JsonObject()),
            _ => null,
        };
        json[EnterpriseUrn] = random.Next(5) switch
        {
            0 => new JsonObject(),
            1 => new JsonObject { ["department"] = Word(random) },
            2 => new JsonObject { ["manager"] = new JsonObject() },
            3 => new JsonObject { ["manager"] = new JsonObject { ["value"] = Word(random) }, ["costCenter"] = Word(random) },
            _ => null,
        };

        var user = UserJson.Read(Encoding.UTF8.GetBytes(json.ToJsonString()));
        user.Id = "id-" + random.Next(1000);
        return user;
    }

    private static List<string> RandomOperations(Random random, int count, string id)
    {
        var operations = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var op = random.Next(3) switch { 0 => "add", 1 => "replace", _ => "Replace" };
            var attribute = random.Next(13) switch
            {
                0 => "active",
                1 => "displayName",
                2 => "title",
                3 => "externalId",
                4 => "ACTIVE",
                5 => EnterpriseUrn + ":department",
                6 => EnterpriseUrn + ":employeeNumber",
                7 => "urn:ietf:params:scim:schemas:core:2.0:User:nickName",
                8 => "name.givenName",
                9 => "Name.FamilyName",
                10 => EnterpriseUrn + ":manager.value",
                11 => "urn:ietf:params:scim:schemas:core:2.0:User:name.formatted",
                _ => "locale",
            };
            var value = random.Next(8) switch
            {
                0 => "true",
                1 => "\"False\"",
                2 => "42",
                3 => "\"maybe\"",
                4 => "false",
                _ => JsonSerializer.Serialize(Word(random)),
            };
            operations.Add(random.Next(12) switch
            {
                0 => $$$"""{"op":"{{{op}}}","value":{"{{{attribute}}}":{{{value}}}}}""",
                1 => $$$"""{"op":"{{{op}}}","value":{"active":{{{value}}},"displayName":{{{JsonSerializer.Serialize(Word(random))}}}{{{random.Next(4) switch { 0 => $",\"id\":\"{id}\"", 1 => ",\"id\":\"someone-else\"", 2 => ",\"schemas\":[\"urn:x\"],\"meta\":{}", _ => "" }}}}}}""",
                2 => """{"op":"remove","path":"title"}""",
                3 => $$"""{"op":"replace","path":"name.givenName","value":{{JsonSerializer.Serialize(Word(random))}}}""",
                4 => $$"""{"op":"{{op}}","path":"{{attribute}}","value":null}""",
                _ => $$"""{"op":"{{op}}","path":"{{attribute}}","value":{{value}}}""",
            });
        }

        return operations;
    }

    private static string Word(Random random) => Words[random.Next(Words.Length)];
}
