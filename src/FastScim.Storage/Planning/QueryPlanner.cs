using FastScim.Core.Filtering;
using FastScim.Core.Resources;
using FastScim.Core.Schema;

namespace FastScim.Storage.Planning;

/// <summary>
/// Picks a plan for a filter (RFC 7644 §3.4.2.2), without touching storage. An <c>eq</c> with a
/// string compValue on an indexed attribute is an index seek: alone, as a conjunct of an
/// <c>and</c> (the other conjuncts are left to the compiled filter), as an <c>or</c> whose every
/// side is a seek, or inside a value path (<c>emails[type eq "work" and value eq "x"]</c>).
/// Everything else is a scan. A seek's candidates are always tested by the compiled filter, so
/// a seek only has to find a superset of the matches: keys of attributes that are not caseExact
/// are upper-cased (the index holds <c>UPPER(…)</c>), because <c>OrdinalIgnoreCase</c> equality
/// implies equal <c>ToUpperInvariant</c> forms. A unique attribute (userName) is sought through
/// its unique index instead, whose keys are lower-cased and compared ignoring case: lower-cased
/// forms are not always equal where the originals are equal ignoring case (U+00B5 MICRO SIGN and
/// U+039C GREEK CAPITAL MU lower to different letters), but they are always equal ignoring case
/// (UserNameSeekTests checks every code point), so the lower-cased value finds every match there.
/// </summary>
public sealed class QueryPlanner
{
    /// <summary>An attribute path the planner can seek: how a filter names it and where its index lives.</summary>
    private sealed record Indexed(string Name, string? SubAttribute, SeekTarget Target, string Expression, bool CaseExact);

    private readonly string _coreSchema;
    private readonly Indexed[] _indexed;

    private QueryPlanner(string coreSchema, Indexed[] indexed)
    {
        _coreSchema = coreSchema;
        _indexed = indexed;
        Indexes = indexed
            .Where(static i => i.Target == SeekTarget.Collection)
            .Select(static i => new BsonIndex(IndexName(i), i.Expression, Unique: false))
            .ToArray();
        UniqueSeekExpressions = [.. indexed.Where(static i => i.Target == SeekTarget.Unique).Select(static i => i.Expression)];
    }

    /// <summary>Users: <c>id</c>, <c>userName</c> (its unique index), <c>externalId</c>, <c>emails.value</c>.</summary>
    public static QueryPlanner Users { get; } = Create<User, UserAccessors>(
        "urn:ietf:params:scim:schemas:core:2.0:User",
        ("id", null, SeekTarget.Id, "$._id"),
        ("userName", null, SeekTarget.Unique, "$.userName"),
        ("externalId", null, SeekTarget.Collection, "$.externalId"),
        ("emails", "value", SeekTarget.Collection, "$.emails[*].value"));

    /// <summary>Groups: <c>id</c>, <c>externalId</c>, <c>displayName</c>, <c>members.value</c> (through the memberships collection).</summary>
    public static QueryPlanner Groups { get; } = Create<Group, GroupAccessors>(
        "urn:ietf:params:scim:schemas:core:2.0:Group",
        ("id", null, SeekTarget.Id, "$._id"),
        ("externalId", null, SeekTarget.Collection, "$.externalId"),
        ("displayName", null, SeekTarget.Collection, "$.displayName"),
        ("members", "value", SeekTarget.Memberships, "$.value"));

    /// <summary>The indexes of the resource collection this planner's seeks use (the store ensures them).</summary>
    public IReadOnlyList<BsonIndex> Indexes { get; }

    /// <summary>The expressions of the collection's unique indexes this planner's seeks use (<see cref="SeekTarget.Unique"/>): the codec must keep them.</summary>
    public IReadOnlyList<string> UniqueSeekExpressions { get; }

    /// <summary>The membership index expression <c>members.value</c> seeks use, when the planner has one.</summary>
    public string? MembershipIndex => _indexed.FirstOrDefault(static i => i.Target == SeekTarget.Memberships)?.Expression;

    /// <summary>The plan of <paramref name="filter"/>; a scan for no filter.</summary>
    public QueryPlan Plan(FilterNode? filter)
    {
        var seeks = filter is null ? null : Seeks(filter, element: null);
        return seeks is null ? QueryPlan.Scan : QueryPlan.Seek(seeks);
    }

    private static string IndexName(Indexed indexed) => "seek_" + indexed.Name + (indexed.SubAttribute is null ? "" : "_" + indexed.SubAttribute);

    // The case rules come from the schema the filter compiler reads, so the plan and the predicate agree.
    private static QueryPlanner Create<T, TAccessors>(string coreSchema, params (string Name, string? Sub, SeekTarget Target, string Path)[] attributes)
        where TAccessors : IScimAccessors<T>
    {
        var indexed = new Indexed[attributes.Length];
        for (int i = 0; i < attributes.Length; i++)
        {
            var (name, sub, target, path) = attributes[i];
            var definition = TAccessors.Definition(new AttributePath(null, name, sub))
                ?? throw new InvalidOperationException($"The schema defines no '{name}{(sub is null ? "" : "." + sub)}' to index.");
            if (definition.Type is not (AttributeType.String or AttributeType.Reference))
            {
                throw new InvalidOperationException($"'{name}' is not a string attribute; the planner seeks strings only.");
            }

            bool caseExact = definition.CaseExact || target == SeekTarget.Id;
            if (target == SeekTarget.Unique && (caseExact || sub is not null || definition.Uniqueness == Uniqueness.None))
            {
                throw new InvalidOperationException($"'{name}' has no unique index of lower-cased keys to seek.");
            }

            // The codec's unique index is LOWER(path) (the generated …Bson.Indexes).
            string expression = target == SeekTarget.Unique ? $"LOWER({path})" : caseExact ? path : Upper(path);
            indexed[i] = new Indexed(name, sub, target, expression, caseExact);
        }

        return new QueryPlanner(coreSchema, indexed);
    }

    /// <summary>
    /// The upper-cased form of a BSON path. LiteDB reads <c>UPPER($.emails[*].value)</c> as one scalar
    /// (null for an array), so a multikey index maps each element: <c>MAP($.emails[*] => UPPER(@.value))</c>,
    /// which a seek matches with <c>ANY =</c>.
    /// </summary>
    private static string Upper(string path)
    {
        int each = path.IndexOf("[*].", StringComparison.Ordinal);
        return each < 0 ? $"UPPER({path})" : $"MAP({path[..(each + 3)]} => UPPER(@.{path[(each + 4)..]}))";
    }

    /// <summary>The seeks whose union covers every resource <paramref name="node"/> accepts, or null when none do.</summary>
    /// <param name="element">Inside <c>attr[…]</c>: the multi-valued attribute whose elements the paths are relative to.</param>
    private List<IndexSeek>? Seeks(FilterNode node, string? element)
    {
        switch (node)
        {
            case LogicalFilter { Operator: LogicalOperator.And } and:
            {
                // Either conjunct's seeks cover the conjunction; take the one with fewer lookups.
                var left = Seeks(and.Left, element);
                var right = Seeks(and.Right, element);
                return left is null ? right : right is null || left.Count <= right.Count ? left : right;
            }

            case LogicalFilter or:
            {
                var left = Seeks(or.Left, element);
                if (left is null)
                {
                    return null;
                }

                var right = Seeks(or.Right, element);
                if (right is null)
                {
                    return null;
                }

                left.AddRange(right.Where(seek => !left.Contains(seek)));
                return left;
            }

            case ValuePathFilter valuePath when element is null && IsCore(valuePath.Path) && valuePath.Path.SubAttribute is null:
                return Seeks(valuePath.Filter, valuePath.Path.Name);

            case ComparisonFilter { Operator: ComparisonOperator.Eq, Value.Kind: FilterValueKind.Text } comparison:
                return Equality(comparison.Path, comparison.Value.Text ?? "", element) is { } seek ? [seek] : null;

            default:
                return null;
        }
    }

    private IndexSeek? Equality(AttributePath path, string value, string? element)
    {
        string name;
        string? sub;
        if (element is null)
        {
            if (!IsCore(path))
            {
                return null;
            }

            name = path.Name;
            sub = path.SubAttribute;
        }
        else
        {
            // Inside emails[…] the path is a sub-attribute name: emails[value eq "x"].
            if (path.SchemaUrn is not null || path.SubAttribute is not null)
            {
                return null;
            }

            name = element;
            sub = path.Name;
        }

        foreach (var indexed in _indexed)
        {
            // RFC 7643 §2.4: "emails eq x" compares the "value" sub-attribute (FilterCompiler does the same).
            bool subMatches = indexed.SubAttribute is null
                ? sub is null
                : sub is null ? element is null && indexed.SubAttribute == "value" : string.Equals(sub, indexed.SubAttribute, StringComparison.OrdinalIgnoreCase);
            if (subMatches && string.Equals(name, indexed.Name, StringComparison.OrdinalIgnoreCase))
            {
                string key = indexed.CaseExact ? value : indexed.Target == SeekTarget.Unique ? value.ToLowerInvariant() : value.ToUpperInvariant();
                return new IndexSeek(indexed.SubAttribute is null ? indexed.Name : indexed.Name + "." + indexed.SubAttribute, indexed.Target, indexed.Expression, key);
            }
        }

        return null;
    }

    // An extension attribute with a core attribute's name is not that attribute.
    private bool IsCore(AttributePath path) => path.SchemaUrn is null || string.Equals(path.SchemaUrn, _coreSchema, StringComparison.OrdinalIgnoreCase);
}
