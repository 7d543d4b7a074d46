using FastScim.Storage.LiteDb;
using FastScim.Storage.Planning;
using LiteDB;

namespace FastScim.Storage.Tests.LiteDb;

/// <summary>
/// KeyPath reads index keys without LiteDB's expression engine; on every document it must find
/// exactly the string keys LiteDB's own evaluation of the same expression finds.
/// </summary>
public sealed class KeyPathTests
{
    private static readonly string[] Texts = ["bjensen", "BJensen", "Kelvin \u212A", "stra\u00DFe", "\u0130stanbul", "\u00B5", "\u03A3\u03C2", "", "a@example.com"];

    public static TheoryData<string> Expressions()
    {
        var data = new TheoryData<string>
        {
            "$.userName", "UPPER($.userName)", "LOWER($.userName)", "$.name.familyName", "UPPER($.name.familyName)",
            "MAP($.emails[*] => UPPER(@.value))", "MAP($.emails[*] => @.value)", "MAP($.emails[*] => LOWER(@.value))",
        };

        // And every expression the store really indexes.
        foreach (var index in QueryPlanner.Users.Indexes.Concat(QueryPlanner.Groups.Indexes).Concat(ResourceCodecs.User.Indexes).Concat(ResourceCodecs.Group.Indexes))
        {
            data.Add(index.Expression);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Expressions))]
    public void Finds_the_keys_LiteDB_finds_on_random_documents(string expression)
    {
        KeyPath path = KeyPath.TryParse(expression) ?? throw new InvalidOperationException($"'{expression}' is not a key path.");
        var liteDb = BsonExpression.Create(expression);
        var random = new Random(expression.Length * 7919);
        for (int i = 0; i < 2_000; i++)
        {
            BsonDocument document = RandomDocument(random);
            var found = new List<string>();

            path.Collect(BsonSerializer.Serialize(document), found);

            Assert.Equal(LiteDbKeys(liteDb, document), found.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        }
    }

    /// <summary>
    /// UPPER and LOWER keys are mapped while decoding (one string each); they must equal the
    /// invariant mappings of the decoded string for every code point, in short strings (mapped on
    /// the stack) and long ones (in a rented buffer).
    /// </summary>
    [Theory]
    [InlineData("UPPER($.userName)", 100)]
    [InlineData("LOWER($.userName)", 100)]
    [InlineData("UPPER($.userName)", 700)]
    [InlineData("LOWER($.userName)", 700)]
    public void Upper_and_lower_keys_are_the_invariant_mappings_of_every_code_point(string expression, int perString)
    {
        KeyPath path = KeyPath.TryParse(expression)!;
        bool upper = expression.StartsWith("UPPER", StringComparison.Ordinal);
        var text = new System.Text.StringBuilder();
        int strings = 0;
        for (int codePoint = 1; codePoint <= 0x10FFFF; codePoint += codePoint < 0x30000 ? 1 : 97)
        {
            if (codePoint is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }

            text.Append(char.ConvertFromUtf32(codePoint));
            if (text.Length >= perString || codePoint + 97 > 0x10FFFF)
            {
                string value = text.ToString();
                var found = new List<string>();
                path.Collect(BsonSerializer.Serialize(new BsonDocument { ["userName"] = value }), found);
                Assert.Equal(upper ? value.ToUpperInvariant() : value.ToLowerInvariant(), Assert.Single(found));
                text.Clear();
                strings++;
            }
        }

        Assert.True(strings > 100);
    }

    [Theory]
    [InlineData("$.a + 1")]
    [InlineData("UPPER($.a) + 'x'")]
    [InlineData("MAP($.a[*] => @.b + 1)")]
    [InlineData("COUNT($.a)")]
    [InlineData("$.a[0]")]
    public void Other_expressions_are_left_to_LiteDB(string expression) => Assert.Null(KeyPath.TryParse(expression));

    private static IEnumerable<string> LiteDbKeys(BsonExpression expression, BsonDocument document)
    {
        var keys = new List<string>();
        foreach (BsonValue value in expression.Execute(document))
        {
            foreach (BsonValue item in value.IsArray ? value.AsArray : [value])
            {
                if (item.IsString)
                {
                    keys.Add(item.AsString);
                }
            }
        }

        return keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
    }

    private static BsonDocument RandomDocument(Random random)
    {
        var document = new BsonDocument();
        foreach (string field in new[] { "userName", "UserName", "externalId", "displayName" })
        {
            if (random.Next(3) > 0)
            {
                document[field] = RandomValue(random, depth: 0);
            }
        }

        if (random.Next(3) > 0)
        {
            document["name"] = random.Next(4) == 0 ? RandomValue(random, 0) : new BsonDocument { ["familyName"] = RandomValue(random, 1) };
        }

        if (random.Next(4) > 0)
        {
            var emails = new BsonArray();
            for (int i = random.Next(0, 4); i > 0; i--)
            {
                emails.Add(random.Next(5) == 0 ? RandomValue(random, 1) : new BsonDocument { ["value"] = RandomValue(random, 1), ["type"] = "work" });
            }

            document["emails"] = random.Next(6) == 0 ? RandomValue(random, 0) : emails;
        }

        return document;
    }

    private static BsonValue RandomValue(Random random, int depth) => random.Next(depth == 0 ? 6 : 5) switch
    {
        0 or 1 => Texts[random.Next(Texts.Length)],
        2 => random.Next(100),
        3 => BsonValue.Null,
        4 => random.Next(2) == 0,
        _ => new BsonArray(Enumerable.Range(0, random.Next(3)).Select(_ => (BsonValue)Texts[random.Next(Texts.Length)])),
    };
}
