using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FastScim.Core.Schema;

namespace FastScim.Generators.Emitting;

/// <summary>
/// Emits <c>{Resource}Bson.FromBytes</c>: the resource <c>FromDocument(BsonSerializer.Deserialize(bytes))</c>
/// gives, read straight from the bytes through FastScim.Storage's <c>BsonElements</c> with no
/// <c>BsonDocument</c> in between (a cold tenant reads every resource it holds this way). It must
/// follow <see cref="BsonEmitter"/>'s <c>FromDocument</c> rule for rule, and LiteDB's document too:
/// keys match ignoring case and in any order, unknown keys are skipped, and a value of an unexpected
/// type is left unassigned. A repeated key's last element wins (LiteDB's document keeps the last):
/// the loop only remembers each key's last element, and the values are read after it, in
/// <c>FromDocument</c>'s order, so an earlier element is never read (a conversion that throws, such
/// as a double past long's range, throws only where FromDocument's would).
/// </summary>
internal static class BsonReadEmitter
{
    private const string Elements = "global::FastScim.Storage.Bson.BsonElements";
    private const string Element = "global::FastScim.Storage.Bson.BsonElement";
    private const string Helpers = "global::FastScim.Storage.Bson.ScimBsonHelpers";

    public static void EmitFromBytes(SourceWriter writer, ResourcePlan resource)
    {
        var type = "global::" + resource.Object.FullName;
        var keys = new List<(string Key, Func<string, string> Assignment)>
        {
            ("_id", e => "value.Id = " + Scalar(AttributeType.String, e) + ";"),
            ("externalId", e => "value.ExternalId = " + Scalar(AttributeType.String, e) + ";"),
            ("meta", e => "value.Meta = " + e + ".Type == " + Elements + ".Document ? " + Helpers + ".MetaFromBytes(" + e + ".Value) : null;"),
        };
        keys.AddRange(Assignments(resource.Object));
        foreach (var extension in resource.Extensions)
        {
            var name = extension.Object.ClassName;
            keys.Add((Names.Camel(name), e => "value." + name + " = " + e + ".Type == " + Elements + ".Document ? " + name + "FromBytes(" + e + ".Value) : null;"));
        }

        writer.Line("/// <summary>");
        writer.Line("/// The resource <c>FromDocument(BsonSerializer.Deserialize(bson))</c> gives, read directly (no <c>BsonDocument</c>):");
        writer.Line("/// keys ignoring case, the last of a repeated key winning, values of an unexpected type left unassigned.");
        writer.Line("/// </summary>");
        writer.Open("public static " + type + " FromBytes(global::System.ReadOnlySpan<byte> bson)");
        writer.Line("var value = new " + type + "();");
        WriteLoop(writer, keys);
        writer.Line("return value;");
        writer.Close();
    }

    /// <summary>A complex attribute's (or an extension's) embedded document, and the readers of the lists it holds.</summary>
    public static void EmitObjectFromBytes(SourceWriter writer, ObjectPlan obj)
    {
        var objType = "global::" + obj.FullName;
        writer.Open("private static " + objType + " " + obj.ClassName + "FromBytes(global::System.ReadOnlySpan<byte> bson)");
        writer.Line("var value = new " + objType + "();");
        WriteLoop(writer, Assignments(obj));
        writer.Line("return value;");
        writer.Close();
    }

    /// <summary>
    /// One reader per distinct list item type of the resource (complex or not): only items of the
    /// expected type are kept, as <c>FromDocument</c> keeps them; item keys are ignored, as LiteDB's <c>ReadArray</c> ignores them.
    /// </summary>
    public static void EmitListReaders(SourceWriter writer, ResourcePlan resource, IEnumerable<ObjectPlan> objects)
    {
        var seen = new HashSet<string>();
        foreach (var obj in new[] { resource.Object }.Concat(objects))
        {
            foreach (var member in obj.Members.Where(static m => m.Attribute.MultiValued))
            {
                var reader = ListReader(member);
                if (!seen.Add(reader))
                {
                    continue;
                }

                writer.Line();
                writer.Open("private static global::System.Collections.Generic.List<" + member.ElementType + "> " + reader + "(global::System.ReadOnlySpan<byte> array)");
                writer.Line("var list = new global::System.Collections.Generic.List<" + member.ElementType + ">();");
                writer.Open("foreach (var item in new " + Elements + "(array))");
                if (member.Complex is not null)
                {
                    writer.Open("if (item.Type == " + Elements + ".Document)");
                    writer.Line("list.Add(" + member.Complex.ClassName + "FromBytes(item.Value));");
                }
                else
                {
                    writer.Open("if (" + IsType(member.Attribute.Type, "item") + ")");
                    writer.Line("list.Add(" + Read(member.Attribute.Type, "item") + ");");
                }

                writer.Close();
                writer.Close();
                writer.Line("return list;");
                writer.Close();
            }
        }
    }

    private static List<(string Key, Func<string, string> Assignment)> Assignments(ObjectPlan obj)
    {
        var keys = new List<(string Key, Func<string, string> Assignment)>();
        foreach (var member in obj.Members)
        {
            Func<string, string> read;
            if (member.Attribute.MultiValued)
            {
                read = e => e + ".Type == " + Elements + ".Array ? " + ListReader(member) + "(" + e + ".Value) : null";
            }
            else if (member.Complex is not null)
            {
                read = e => e + ".Type == " + Elements + ".Document ? " + member.Complex.ClassName + "FromBytes(" + e + ".Value) : null";
            }
            else
            {
                read = e => Scalar(member.Attribute.Type, e);
            }

            keys.Add((member.Attribute.Name, e => "value." + member.PropertyName + " = " + read(e) + ";"));
        }

        return keys;
    }

    // One local per key holds its last element (default, of type 0, when absent: every read then gives
    // null, which is what a new object holds). Attribute names are ASCII (the parser holds them to
    // RFC 7643's ATTRNAME), so a name's length in bytes is its length in chars: the switch on it
    // leaves one or two names to compare per element.
    private static void WriteLoop(SourceWriter writer, List<(string Key, Func<string, string> Assignment)> keys)
    {
        var locals = new Dictionary<string, string>();
        foreach (var (key, _) in keys)
        {
            locals[key] = "k" + locals.Count.ToString(CultureInfo.InvariantCulture);
        }

        writer.Line(Element + " " + string.Join(", ", locals.Values.Select(static l => l + " = default")) + ";");
        writer.Open("foreach (var element in new " + Elements + "(bson))");
        writer.Open("switch (element.Name.Length)");
        foreach (var group in keys.GroupBy(static k => k.Key.Length).OrderBy(static g => g.Key))
        {
            writer.Line("case " + group.Key.ToString(CultureInfo.InvariantCulture) + ":");
            writer.Indent();
            var first = true;
            foreach (var (key, _) in group)
            {
                writer.Open((first ? "if" : "else if") + " (element.NameIs(" + SourceWriter.Literal(key) + "u8))");
                writer.Line(locals[key] + " = element;");
                writer.Close();
                first = false;
            }

            writer.Line("break;");
            writer.Unindent();
        }

        writer.Close();
        writer.Close();
        writer.Line();
        foreach (var (key, assignment) in keys)
        {
            writer.Line(assignment(locals[key]));
        }
    }

    private static string ListReader(MemberPlan member) =>
        member.Complex is not null ? "ListOf" + member.Complex.ClassName : "ListOf" + member.Attribute.Type.ToString() + "Values";

    private static string Scalar(AttributeType type, string element) =>
        IsType(type, element) + " ? " + Read(type, element) + " : null";

    // FromDocument's IsType/FromBson, on an element: IsNumber and the As… conversions are LiteDB's (see BsonElement)
    private static string IsType(AttributeType type, string element) => type switch
    {
        AttributeType.Boolean => element + ".Type == " + Elements + ".Boolean",
        AttributeType.Integer => element + ".IsNumber",
        AttributeType.Decimal => element + ".IsNumber",
        AttributeType.DateTime => element + ".Type == " + Elements + ".DateTime",
        _ => element + ".Type == " + Elements + ".String",
    };

    private static string Read(AttributeType type, string element) => type switch
    {
        AttributeType.Boolean => element + ".AsBoolean()",
        AttributeType.Integer => element + ".ToInt64()",
        AttributeType.Decimal => element + ".ToDecimal()",
        AttributeType.DateTime => Helpers + ".ToDateTimeOffset(" + element + ".AsDateTime())",
        _ => element + ".AsString()",
    };
}
