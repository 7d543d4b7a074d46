using System.Text;
using FastScim.Core.Filtering;
using FastScim.Core.Protocol;

namespace FastScim.Core.Tests.Filtering;

/// <summary>Seeded random trees round-trip through canonical text; random text fails only with ScimException.</summary>
public class FilterPropertyTests
{
    private static readonly string[] Names = ["userName", "emails", "title", "x", "a-b_c9", "not", "and", "or", "pr", "eq", "$ref"];
    private static readonly string[] Urns = [FilterTrees.CoreUser, FilterTrees.EnterpriseUser, "urn:example:1.0:X"];
    private static readonly string[] Numbers = ["0", "-1", "1.5", "-1.5e3", "2E-7", "123456789012345678901234567890", "0.0"];
    // Whole characters: the emoji is a surrogate pair, and half of one is no character (a filter refuses it).
    private static readonly string[] TextChars = [.. "abcXYZ \"\\/\b\f\n\r\t\u0001\u001féü€[]()'.:".Select(static c => c.ToString()), "😀"];

    [Fact]
    public void Two_thousand_random_trees_parse_back_from_their_canonical_text()
    {
        var random = new Random(7644);
        var kinds = new HashSet<Type>();
        for (var i = 0; i < 2500; i++)
        {
            var tree = Filter(random, depth: 5, inValue: false);
            var text = tree.ToString();

            var parsed = FilterParser.Parse(text, FilterParserOptions.Strict);

            Assert.Equal(tree, parsed);
            Assert.Equal(text, parsed.ToString());
            kinds.Add(tree.GetType());
        }

        Assert.Equal(5, kinds.Count);
    }

    [Fact]
    public void Random_patch_paths_parse_back_from_their_text()
    {
        var random = new Random(3552);
        for (var i = 0; i < 1000; i++)
        {
            var withFilter = random.Next(2) == 0;
            var attribute = withFilter ? new AttributePath(Maybe(random, Urns), Pick(random, Names), null) : Path(random, inValue: false);
            var path = withFilter
                ? new PatchPath(attribute, Filter(random, 3, inValue: true), Maybe(random, Names))
                : new PatchPath(attribute, null, null);

            Assert.Equal(path, PatchPathParser.Parse(path.ToString(), FilterParserOptions.Strict));
        }
    }

    [Fact]
    public void Random_garbage_never_throws_anything_but_ScimException()
    {
        var random = new Random(42);
        string[] pieces = ["a", "pr", "eq", " ", " and ", " or ", "not", "(", ")", "[", "]", "\"", "\\", "\\u", "1", "-", ".", ":", "e", "true", "x.y", "urn:a:b", "\u0000", "é"];
        var accepted = 0;
        var rejected = 0;
        for (var i = 0; i < 5000; i++)
        {
            var builder = new StringBuilder();
            var count = random.Next(0, 14);
            for (var j = 0; j < count; j++)
            {
                builder.Append(random.Next(4) == 0 ? (char)random.Next(0, 128) : pieces[random.Next(pieces.Length)]);
            }

            var text = builder.ToString();
            try
            {
                var node = FilterParser.Parse(text);
                Assert.Equal(node, FilterParser.Parse(node.ToString()));
                accepted++;
            }
            catch (ScimException e)
            {
                Assert.Equal(ScimType.InvalidFilter, e.ScimType);
                rejected++;
            }

            try
            {
                var path = PatchPathParser.Parse(text);
                Assert.Equal(path, PatchPathParser.Parse(path.ToString()));
            }
            catch (ScimException e)
            {
                Assert.True(e.ScimType is ScimType.InvalidPath or ScimType.InvalidFilter);
            }
        }

        Assert.True(accepted > 0 && rejected > 0, $"accepted {accepted}, rejected {rejected}");
    }

    [Fact]
    public void Mutated_valid_filters_never_throw_anything_but_ScimException()
    {
        var random = new Random(2026);
        for (var i = 0; i < 3000; i++)
        {
            var text = new StringBuilder(Filter(random, 3, inValue: false).ToString());
            for (var m = random.Next(1, 4); m > 0 && text.Length > 0; m--)
            {
                var at = random.Next(text.Length);
                if (random.Next(2) == 0)
                {
                    text.Remove(at, 1);
                }
                else
                {
                    text.Insert(at, "()[]\" \\.:"[random.Next(9)]);
                }
            }

            var ex = Record.Exception(() => FilterParser.Parse(text.ToString()));
            Assert.True(ex is null or ScimException, ex?.ToString());
        }
    }

    private static FilterNode Filter(Random random, int depth, bool inValue)
    {
        var choice = depth <= 0 ? random.Next(2) : random.Next(inValue ? 5 : 6);
        return choice switch
        {
            0 => new ComparisonFilter(Path(random, inValue), (ComparisonOperator)random.Next(9), Value(random)),
            1 => new PresentFilter(Path(random, inValue)),
            2 or 3 => new LogicalFilter((LogicalOperator)random.Next(2), Filter(random, depth - 1, inValue), Filter(random, depth - 1, inValue)),
            4 => new NotFilter(Filter(random, depth - 1, inValue)),
            _ => new ValuePathFilter(new AttributePath(Maybe(random, Urns), Pick(random, Names), null), Filter(random, depth - 1, inValue: true)),
        };
    }

    private static AttributePath Path(Random random, bool inValue) => inValue
        ? new AttributePath(null, Pick(random, Names), null)
        : new AttributePath(Maybe(random, Urns), Pick(random, Names), Maybe(random, Names));

    private static FilterValue Value(Random random)
    {
        switch (random.Next(6))
        {
            case 0: return FilterValue.True;
            case 1: return FilterValue.False;
            case 2: return FilterValue.Null;
            case 3: return FilterValue.FromNumber(Pick(random, Numbers));
            default:
                var builder = new StringBuilder();
                for (var n = random.Next(0, 8); n > 0; n--)
                {
                    builder.Append(TextChars[random.Next(TextChars.Length)]);
                }

                return FilterValue.FromText(builder.ToString());
        }
    }

    private static string Pick(Random random, string[] from) => from[random.Next(from.Length)];

    private static string? Maybe(Random random, string[] from) => random.Next(3) == 0 ? Pick(random, from) : null;
}
