using System.Buffers;
using System.Text.Json;
using FastScim.Core.Filtering;
using FastScim.Core.Protocol;
using FastScim.Core.Resources;

namespace FastScim.Core.Tests.Filtering;

/// <summary>
/// Compiled versus interpreted (issue 4, item 3): random filters over random Users, each filter
/// written as text, parsed and compiled, and each User written as JSON by the generated writer and
/// interpreted by <see cref="ReferenceInterpreter"/>. Invalid filters must be rejected by both.
/// </summary>
public class CompiledFilterPropertyTests
{
    private const int Seed = 20261129;
    private const string Ext = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    private static readonly string[] Texts = ["bjensen", "BJensen", "bj", "sen", "work", "WORK", "home", "a@example.com", "A@Example.com", "@example.com", "", "701984", "x", "5", "true", "2026-01-01T00:00:00Z"];
    private static readonly string[] Dates = ["2025-06-01T00:00:00Z", "2026-01-01T00:00:00Z", "2026-01-01T01:00:00+01:00", "2026-03-01T12:30:00-05:00"];

    private static readonly (string? Urn, string Name, string? Sub)[] Paths =
    [
        (null, "userName", null), (null, "USERNAME", null), (FilterTrees.CoreUser, "userName", null), (null, "displayName", null),
        (null, "title", null), (null, "id", null), (null, "externalId", null), (null, "active", null),
        (null, "name", "givenName"), (null, "name", "familyName"), (null, "name", null),
        (null, "emails", "value"), (null, "emails", "type"), (null, "emails", "primary"), (null, "emails", null), (null, "Emails", "Value"),
        (null, "phoneNumbers", "value"), (null, "addresses", "locality"), (null, "x509Certificates", "value"), (null, "groups", "value"),
        (null, "meta", "created"), (null, "meta", "lastModified"), (null, "meta", "resourceType"), (null, "meta", "version"), (null, "meta", null),
        (null, "schemas", null), (Ext, "employeeNumber", null), (Ext, "manager", "value"), (Ext, "manager", null), (Ext, "department", null),
        (null, "nosuch", null), (null, "name", "nosuch"), (null, "password", null), (null, "userName", "x"),
    ];

    private static readonly string[] EmailSubs = ["value", "type", "primary", "display", "nosuch"];

    [Fact]
    public void Compiled_and_interpreted_agree_on_at_least_10000_random_pairs()
    {
        var random = new Random(Seed);
        var users = Enumerable.Range(0, 40).Select(_ => RandomUser(random)).ToArray();
        var documents = users.Select(u => JsonDocument.Parse(Write(u))).ToArray();
        var pairs = 0;
        var matched = 0;
        var rejected = 0;
        for (var f = 0; f < 400; f++)
        {
            var node = RandomFilter(random, depth: 0);
            var text = node.ToString();
            Func<User, bool>? compiled = null;
            ScimException? error = null;
            try
            {
                compiled = FilterCompiler.CompileUser(FilterParser.Parse(text));
            }
            catch (ScimException e)
            {
                error = e;
            }

            for (var i = 0; i < users.Length; i++)
            {
                bool? interpreted;
                try
                {
                    interpreted = ReferenceInterpreter.ForUsers.Evaluate(node, documents[i].RootElement);
                }
                catch (ReferenceInterpreter.InvalidFilter)
                {
                    interpreted = null;
                }

                if (error is not null)
                {
                    Assert.True(interpreted is null, $"compiler rejected '{text}' ({error.Detail}) but the interpreter answered {interpreted} on {documents[i].RootElement}");
                    Assert.Equal(ScimType.InvalidFilter, error.ScimType);
                    rejected++;
                }
                else
                {
                    Assert.True(interpreted is not null, $"interpreter rejected '{text}' but the compiler accepted it");
                    var actual = compiled!(users[i]);
                    Assert.True(interpreted == actual, $"'{text}': compiled {actual}, interpreted {interpreted} on {documents[i].RootElement}");
                    matched += actual ? 1 : 0;
                }

                pairs++;
            }
        }

        Assert.True(pairs >= 10_000, $"only {pairs} pairs");

        // the generator must produce both outcomes and some errors, or the agreement proves little
        Assert.InRange(matched, pairs / 20, pairs - (pairs / 20));
        Assert.InRange(rejected, 1, pairs / 3);
    }

    internal static string Write(User user)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            UserJson.Write(writer, user);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static FilterNode RandomFilter(Random random, int depth)
    {
        var roll = random.Next(depth >= 3 ? 6 : 10);
        return roll switch
        {
            < 4 => RandomComparison(random),
            4 => new PresentFilter(RandomPath(random)),
            5 => new ValuePathFilter(new AttributePath(null, random.Next(6) == 0 ? "name" : "emails", null), RandomElementFilter(random, 0)),
            6 or 7 => new LogicalFilter(random.Next(2) == 0 ? LogicalOperator.And : LogicalOperator.Or, RandomFilter(random, depth + 1), RandomFilter(random, depth + 1)),
            _ => new NotFilter(RandomFilter(random, depth + 1)),
        };
    }

    private static FilterNode RandomElementFilter(Random random, int depth)
    {
        var roll = random.Next(depth >= 2 ? 3 : 6);
        var path = new AttributePath(null, EmailSubs[random.Next(EmailSubs.Length - (random.Next(10) == 0 ? 0 : 1))], null);
        return roll switch
        {
            < 2 => new ComparisonFilter(path, RandomOperator(random), RandomValue(random)),
            2 => new PresentFilter(path),
            3 or 4 => new LogicalFilter(random.Next(2) == 0 ? LogicalOperator.And : LogicalOperator.Or, RandomElementFilter(random, depth + 1), RandomElementFilter(random, depth + 1)),
            _ => new NotFilter(RandomElementFilter(random, depth + 1)),
        };
    }

    private static AttributePath RandomPath(Random random)
    {
        // the unknown and forbidden paths are rare, so most filters are valid
        var count = random.Next(8) == 0 ? Paths.Length : Paths.Length - 4;
        var (urn, name, sub) = Paths[random.Next(count)];
        return new AttributePath(urn, name, sub);
    }

    private static ComparisonFilter RandomComparison(Random random)
    {
        var path = RandomPath(random);
        var isDate = path.SubAttribute is not null && (path.SubAttribute.Equals("created", StringComparison.OrdinalIgnoreCase) || path.SubAttribute.Equals("lastModified", StringComparison.OrdinalIgnoreCase));
        var value = isDate && random.Next(4) != 0 ? FilterValue.FromText(Dates[random.Next(Dates.Length)]) : RandomValue(random);
        var op = RandomOperator(random);
        if (path.Name.Equals("active", StringComparison.OrdinalIgnoreCase) && random.Next(5) != 0)
        {
            op = random.Next(2) == 0 ? ComparisonOperator.Eq : ComparisonOperator.Ne;
        }

        return new ComparisonFilter(path, op, value);
    }

    private static ComparisonOperator RandomOperator(Random random) => (ComparisonOperator)random.Next(9);

    private static FilterValue RandomValue(Random random) => random.Next(12) switch
    {
        0 => FilterValue.True,
        1 => FilterValue.False,
        2 => random.Next(3) == 0 ? FilterValue.Null : FilterValue.FromNumber("5"),
        _ => FilterValue.FromText(Texts[random.Next(Texts.Length)]),
    };

    private static string? Pick(Random random, params string?[] values) => values[random.Next(values.Length)];

    internal static User RandomUser(Random random)
    {
        var user = new User
        {
            Id = Pick(random, "2819c223", "ABC", null),
            ExternalId = Pick(random, "701984", "x", null, ""),
            UserName = Pick(random, "bjensen", "BJENSEN", "jsmith", "a@example.com", "", null),
            DisplayName = Pick(random, "Babs Jensen", "x", null),
            Title = Pick(random, "Tour Guide", "", null, "5", "true"),
            Active = random.Next(3) switch { 0 => true, 1 => false, _ => null },
        };
        if (random.Next(3) != 0)
        {
            user.Name = new Name { GivenName = Pick(random, "Barbara", "bj", null, ""), FamilyName = Pick(random, "Jensen", "SEN", null) };
        }

        if (random.Next(4) != 0)
        {
            user.Emails = [];
            for (var i = random.Next(4); i > 0; i--)
            {
                user.Emails.Add(new Email
                {
                    Value = Pick(random, "a@example.com", "A@Example.com", "b@home.org", "", null),
                    Type = Pick(random, "work", "home", "WORK", null),
                    Primary = random.Next(3) switch { 0 => true, 1 => false, _ => null },
                });
            }
        }

        if (random.Next(3) == 0)
        {
            user.PhoneNumbers = [new PhoneNumber { Value = Pick(random, "555-555-5555", "5"), Type = "work" }];
        }

        if (random.Next(3) == 0)
        {
            user.Addresses = [new Address { Locality = Pick(random, "Hollywood", "home", null) }, new Address()];
        }

        if (random.Next(4) == 0)
        {
            user.X509Certificates = [new X509Certificate { Value = Pick(random, "MIIDQzCC", "bj") }];
        }

        if (random.Next(4) == 0)
        {
            user.Groups = [new UserGroup { Value = Pick(random, "e9e30dba", "x"), Display = "Tour Guides" }];
        }

        if (random.Next(2) == 0)
        {
            user.Meta = new ResourceMeta
            {
                ResourceType = Pick(random, "User", "user", null),
                Created = random.Next(4) == 0 ? null : DateTimeOffset.Parse(Dates[random.Next(Dates.Length)], System.Globalization.CultureInfo.InvariantCulture),
                LastModified = random.Next(3) == 0 ? null : DateTimeOffset.Parse(Dates[random.Next(Dates.Length)], System.Globalization.CultureInfo.InvariantCulture).AddSeconds(random.Next(-1, 2)),
                Version = Pick(random, "W/\"1\"", null),
            };
        }

        if (random.Next(2) == 0)
        {
            user.EnterpriseUser = new EnterpriseUser
            {
                EmployeeNumber = Pick(random, "701984", "5", null),
                Department = Pick(random, "Tour Operations", "work", null),
                Manager = random.Next(2) == 0 ? null : new Manager { Value = Pick(random, "26118915", "bjensen", null) },
            };
        }

        return user;
    }
}
