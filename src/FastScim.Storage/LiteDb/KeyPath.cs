using System.Text.RegularExpressions;
using LiteDB;

namespace FastScim.Storage.LiteDb;

/// <summary>
/// The index expressions the store uses — <c>$.a.b</c>, <c>UPPER($.a)</c>, <c>LOWER($.a)</c> and
/// <c>MAP($.a[*] => UPPER(@.b))</c> (QueryPlanner, the generated unique indexes) — read directly
/// from a document. LiteDB evaluates a BsonExpression through System.Linq.Expressions, which
/// native AOT only interprets; the writer computes every index key of every write, so this path
/// does without it. Anything else is left to <see cref="BsonExpression"/> (<see cref="TryParse"/> is null).
/// </summary>
internal sealed partial class KeyPath
{
    private readonly string[] _path;
    private readonly string[]? _elementPath;
    private readonly Func<string, string> _transform;

    private KeyPath(string[] path, string[]? elementPath, Func<string, string> transform)
    {
        _path = path;
        _elementPath = elementPath;
        _transform = transform;
    }

    [GeneratedRegex(@"^(?:(?<fn>UPPER|LOWER)\((?<path>\$(?:\.\w+)+)\)|(?<path>\$(?:\.\w+)+))$")]
    private static partial Regex Scalar();

    [GeneratedRegex(@"^MAP\((?<path>\$(?:\.\w+)+)\[\*\] => (?:(?<fn>UPPER|LOWER)\((?<element>@(?:\.\w+)+)\)|(?<element>@(?:\.\w+)+))\)$")]
    private static partial Regex Each();

    /// <summary>The key path of <paramref name="expression"/>, or null when it is not one of the forms above.</summary>
    public static KeyPath? TryParse(string expression)
    {
        if (Scalar().Match(expression) is { Success: true } scalar)
        {
            return new KeyPath(Steps(scalar.Groups["path"].Value), null, Transform(scalar.Groups["fn"].Value));
        }

        if (Each().Match(expression) is { Success: true } each)
        {
            return new KeyPath(Steps(each.Groups["path"].Value), Steps(each.Groups["element"].Value), Transform(each.Groups["fn"].Value));
        }

        return null;
    }

    private static string[] Steps(string path) => path.Split('.')[1..];

    // LiteDB's UPPER and LOWER are the invariant case mappings (and null for anything but a string).
    private static readonly Func<string, string> Identity = static s => s;

    private static Func<string, string> Transform(string function) => function switch
    {
        "UPPER" => static s => s.ToUpperInvariant(),
        "LOWER" => static s => s.ToLowerInvariant(),
        _ => Identity,
    };

    /// <summary>Adds the string keys <paramref name="document"/> has under this path to <paramref name="keys"/> (other types index nothing a seek can find).</summary>
    public void Collect(BsonDocument document, List<string> keys)
    {
        BsonValue value = Walk(document, _path);
        if (_elementPath is null)
        {
            if (value.IsString)
            {
                keys.Add(_transform(value.AsString));
            }
            else if (value.IsArray && _transform == Identity)
            {
                // A bare path to an array indexes its items (UPPER/LOWER of an array is null).
                foreach (BsonValue item in value.AsArray)
                {
                    if (item.IsString)
                    {
                        keys.Add(item.AsString);
                    }
                }
            }

            return;
        }

        if (!value.IsArray)
        {
            return;
        }

        foreach (BsonValue element in value.AsArray)
        {
            if (element.IsDocument && Walk(element.AsDocument, _elementPath) is { IsString: true } item)
            {
                keys.Add(_transform(item.AsString));
            }
        }
    }

    private static BsonValue Walk(BsonDocument document, string[] path)
    {
        BsonValue current = document;
        foreach (string step in path)
        {
            if (!current.IsDocument || !current.AsDocument.TryGetValue(step, out BsonValue? next))
            {
                return BsonValue.Null;
            }

            current = next;
        }

        return current;
    }
}
