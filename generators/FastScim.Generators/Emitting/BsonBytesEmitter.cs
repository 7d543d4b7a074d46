using System.Collections.Generic;
using System.Globalization;
using FastScim.Core.Schema;

namespace FastScim.Generators.Emitting;

/// <summary>
/// Emits <c>{Resource}Bson.ToBytes</c>: the bytes <c>BsonSerializer.Serialize(ToDocument(value))</c>
/// gives, written straight through FastScim.Storage's <c>BsonBytesWriter</c> with no
/// <c>BsonDocument</c> in between. It must follow <see cref="BsonEmitter"/>'s <c>ToDocument</c>
/// member for member: the same keys, the same order (LiteDB writes <c>_id</c> first, then the
/// document's insertion order), the same nulls left out and the same BSON types.
/// </summary>
internal static class BsonBytesEmitter
{
    private const string Writer = "global::FastScim.Storage.Bson.BsonBytesWriter";
    private const string Helpers = "global::FastScim.Storage.Bson.ScimBsonHelpers";

    public static void EmitToBytes(SourceWriter writer, ResourcePlan resource)
    {
        var type = "global::" + resource.Object.FullName;

        // top-level keys in ToDocument's order; a key's position here is what OmittedIndex returns for it
        var keys = new List<string> { "_id", "externalId", "meta" };
        foreach (var member in resource.Object.Members)
        {
            keys.Add(member.Attribute.Name);
        }

        foreach (var extension in resource.Extensions)
        {
            keys.Add(Names.Camel(extension.Object.ClassName));
        }

        writer.Line("/// <summary>");
        writer.Line("/// The bytes <c>BsonSerializer.Serialize(ToDocument(value))</c> gives, written directly (no <c>BsonDocument</c>).");
        writer.Line("/// <paramref name=\"omitted\"/> names a top-level attribute left out, as if removed from that document first");
        writer.Line("/// (matched ignoring case, as LiteDB's document keys are).");
        writer.Line("/// </summary>");
        writer.Open("public static byte[] ToBytes(" + type + " value, string? omitted = null)");
        writer.Line("global::System.ArgumentNullException.ThrowIfNull(value);");
        writer.Line("var skip = omitted is null ? -1 : OmittedIndex(omitted);");
        writer.Line("var writer = " + Writer + ".Rent();");
        writer.Line("var start = writer.BeginDocument();");
        writer.Open("if (value.Id is { } id && skip != 0)");
        writer.Line("writer.WriteString(\"_id\"u8, id);");
        writer.Close();
        writer.Open("if (value.ExternalId is { } externalId && skip != 1)");
        writer.Line("writer.WriteString(\"externalId\"u8, externalId);");
        writer.Close();
        writer.Open("if (value.Meta is { } meta && skip != 2)");
        writer.Line(Helpers + ".MetaToBytes(writer, \"meta\"u8, meta);");
        writer.Close();
        WriteMembers(writer, resource.Object, firstIndex: 3);
        var index = 3 + resource.Object.Members.Count;
        foreach (var extension in resource.Extensions)
        {
            var name = extension.Object.ClassName;
            writer.Open("if (value." + name + " is { } x" + name + " && skip != " + Number(index++) + ")");
            writer.Line(name + "ToBytes(writer, " + Key(Names.Camel(name)) + ", x" + name + ");");
            writer.Close();
        }

        writer.Line("writer.End(start);");
        writer.Line("return writer.ToArray();");
        writer.Close();
        writer.Line();

        writer.Line("/// <summary>Position of a top-level key in <see cref=\"ToBytes\"/>'s order, or -1.</summary>");
        writer.Open("private static int OmittedIndex(string name)");
        for (var i = 0; i < keys.Count; i++)
        {
            writer.Open("if (string.Equals(name, " + SourceWriter.Literal(keys[i]) + ", global::System.StringComparison.OrdinalIgnoreCase))");
            writer.Line("return " + Number(i) + ";");
            writer.Close();
        }

        writer.Line("return -1;");
        writer.Close();
    }

    /// <summary>A complex attribute's (or an extension's) embedded document, under the key its caller gives.</summary>
    public static void EmitObjectToBytes(SourceWriter writer, ObjectPlan obj)
    {
        var objType = "global::" + obj.FullName;
        writer.Open("private static void " + obj.ClassName + "ToBytes(" + Writer + " writer, global::System.ReadOnlySpan<byte> key, " + objType + " value)");
        writer.Line("var start = writer.BeginDocument(key);");
        WriteMembers(writer, obj, firstIndex: null);
        writer.Line("writer.End(start);");
        writer.Close();
    }

    // firstIndex: the members' positions for OmittedIndex at the top level; null inside embedded documents
    private static void WriteMembers(SourceWriter writer, ObjectPlan obj, int? firstIndex)
    {
        var index = 0;
        foreach (var member in obj.Members)
        {
            var local = "f" + Number(index);
            var skip = firstIndex is { } first ? " && skip != " + Number(first + index) : string.Empty;
            index++;
            var key = Key(member.Attribute.Name);
            writer.Open("if (value." + member.PropertyName + " is { } " + local + skip + ")");
            if (member.Attribute.MultiValued)
            {
                writer.Line("var array = writer.BeginArray(" + key + ");");
                writer.Line("var i = 0;");
                writer.Open("foreach (var item in " + local + ")");
                writer.Line(Element(member, "writer.Index(i++)", "item", inArray: true));
                writer.Close();
                writer.Line("writer.End(array);");
            }
            else
            {
                writer.Line(Element(member, key, local, inArray: false));
            }

            writer.Close();
        }
    }

    private static string Element(MemberPlan member, string key, string value, bool inArray)
    {
        if (member.Complex is not null)
        {
            return member.Complex.ClassName + "ToBytes(writer, " + key + ", " + value + ");";
        }

        var method = member.Attribute.Type switch
        {
            AttributeType.Boolean => "WriteBoolean",
            AttributeType.Integer => "WriteInt64",
            AttributeType.Decimal => "WriteDecimal",
            AttributeType.DateTime => "WriteDateTime",

            // a null string in a list is a BSON null item in ToDocument's array; single values are skipped when null
            _ => inArray ? "WriteStringOrNull" : "WriteString",
        };
        return "writer." + method + "(" + key + ", " + value + ");";
    }

    private static string Key(string name) => SourceWriter.Literal(name) + "u8";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
