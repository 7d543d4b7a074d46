using System.Text.RegularExpressions;
using FastScim.Storage.Bson;

namespace FastScim.Storage.LiteDb;

/// <summary>
/// The index expressions the store uses — <c>$.a.b</c>, <c>UPPER($.a)</c>, <c>LOWER($.a)</c> and
/// <c>MAP($.a[*] => UPPER(@.b))</c> (QueryPlanner, the generated unique indexes) — read directly
/// from a document's BSON bytes. LiteDB evaluates a BsonExpression through System.Linq.Expressions, which
/// native AOT only interprets; the writer computes every index key of every write, so this path
/// does without it. Anything else is left to <see cref="LiteDB.BsonExpression"/> (<see cref="TryParse"/> is null).
/// </summary>
internal sealed partial class KeyPath
{
    private readonly string[] _path;
    private readonly string[]? _elementPath;
    private readonly CaseMapping _mapping;

    private KeyPath(string[] path, string[]? elementPath, CaseMapping mapping)
    {
        _path = path;
        _elementPath = elementPath;
        _mapping = mapping;
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
    private static CaseMapping Transform(string function) => function switch
    {
        "UPPER" => CaseMapping.Upper,
        "LOWER" => CaseMapping.Lower,
        _ => CaseMapping.None,
    };

    /// <summary>Adds the string keys the document <paramref name="bson"/> (its BSON bytes) has under this path to <paramref name="keys"/> (other types index nothing a seek can find).</summary>
    public void Collect(ReadOnlySpan<byte> bson, List<string> keys)
    {
        if (!TryWalk(bson, _path, out BsonElement value))
        {
            return;
        }

        if (_elementPath is null)
        {
            if (value.Type == BsonElements.String)
            {
                keys.Add(value.AsString(_mapping));
            }
            else if (value.Type == BsonElements.Array && _mapping == CaseMapping.None)
            {
                // A bare path to an array indexes its items (UPPER/LOWER of an array is null).
                foreach (BsonElement item in new BsonElements(value.Value))
                {
                    if (item.Type == BsonElements.String)
                    {
                        keys.Add(item.AsString());
                    }
                }
            }

            return;
        }

        if (value.Type != BsonElements.Array)
        {
            return;
        }

        foreach (BsonElement element in new BsonElements(value.Value))
        {
            if (element.Type == BsonElements.Document && TryWalk(element.Value, _elementPath, out BsonElement item) && item.Type == BsonElements.String)
            {
                keys.Add(item.AsString(_mapping));
            }
        }
    }

    private static bool TryWalk(ReadOnlySpan<byte> document, string[] path, out BsonElement found)
    {
        found = default;
        for (int i = 0; i < path.Length; i++)
        {
            if (i > 0 && found.Type != BsonElements.Document)
            {
                return false;
            }

            if (!BsonElements.TryFind(i == 0 ? document : found.Value, path[i], out found))
            {
                return false;
            }
        }

        return true;
    }
}
