using System.Collections.Generic;
using System.Globalization;
using System.Text;
using FastScim.Core.Schema;
using Microsoft.CodeAnalysis;

namespace FastScim.Generators.Emitting;

/// <summary>
/// Emits <c>{Resource}Json</c> and <c>{Extension}Json</c>: readers over Utf8JsonReader and writers over
/// Utf8JsonWriter. Names dispatch on byte length, then compare ASCII case-insensitively without
/// allocating; property names are written from pre-encoded <c>JsonEncodedText</c>.
/// </summary>
internal static class JsonEmitter
{
    private const string Reader = "global::System.Text.Json.Utf8JsonReader";
    private const string Writer = "global::System.Text.Json.Utf8JsonWriter";
    private const string TokenType = "global::System.Text.Json.JsonTokenType";
    private const string Helpers = "global::FastScim.Core.Resources." + JsonHelpersEmitter.ClassName;
    private const string Tolerance = "global::FastScim.Core.Compatibility.Tolerance";

    public static void Emit(SourceProductionContext context, GenerationPlan plan)
    {
        JsonHelpersEmitter.Emit(context);
        foreach (var resource in plan.Resources)
        {
            var names = new EncodedNames();
            var body = new SourceWriter();
            body.Indent();
            var type = "global::" + resource.Object.FullName;
            var name = resource.Object.ClassName;
            var coreUrn = names.Get(resource.Schema.Id, "s_urn" + name);

            body.Line("/// <summary>Reads a " + name + " from a whole UTF-8 JSON document (a request body).</summary>");
            body.Line("public static " + type + " Read(global::System.ReadOnlySpan<byte> utf8Json) => Read(utf8Json, null);");
            body.Line();
            body.Line("/// <summary>Reads a " + name + " from a whole UTF-8 JSON document (a request body), and the strings of its \"schemas\" arrays into <paramref name=\"schemas\"/> (RFC 7643 §3), in the same pass.</summary>");
            body.Open("public static " + type + " Read(global::System.ReadOnlySpan<byte> utf8Json, global::System.Collections.Generic.ICollection<string>? schemas)");
            body.Line("var reader = new " + Reader + "(utf8Json, new global::System.Text.Json.JsonReaderOptions { MaxDepth = 64 });");
            body.Line("return Read(ref reader, schemas);");
            body.Close();
            body.Line();
            body.Line("/// <summary>Reads a " + name + " object; the reader is at, or just before, its StartObject.</summary>");
            body.Line("public static " + type + " Read(ref " + Reader + " reader) => Read(ref reader, null);");
            body.Line();
            body.Line("/// <summary>Reads a " + name + " object, the strings of its \"schemas\" arrays into <paramref name=\"schemas\"/> when given; the reader is at, or just before, its StartObject.</summary>");
            body.Open("public static " + type + " Read(ref " + Reader + " reader, global::System.Collections.Generic.ICollection<string>? schemas)");
            body.Line(Helpers + ".MoveToStartObject(ref reader, " + SourceWriter.Literal(name) + ");");
            body.Line("var value = new " + type + "();");
            var extra = new List<(string Name, string Statement)>
            {
                ("externalId", "value.ExternalId = " + Helpers + ".ReadString(ref reader, \"externalId\");"),
            };
            foreach (var extension in resource.Extensions)
            {
                extra.Add((extension.Schema.Id,
                    "value." + extension.Object.ClassName + " = reader.TokenType == " + TokenType + ".Null ? null : global::" + Names.ResourcesNamespace + "." + extension.Object.ClassName + "Json.Read(ref reader);"));
            }

            WriteReadLoop(body, resource.Object, extra, "ReadMember", schemas: true);
            body.Line("return value;");
            body.Close();
            body.Line();
            WriteReadMember(body, type, resource.Object, extra);
            body.Line();
            body.Line("/// <summary>Reads the value of attribute <paramref name=\"name\"/> (or of its sub-attribute <paramref name=\"subAttribute\"/>, when not empty, of a single complex value) of schema <paramref name=\"schemaUrn\"/> (null: the core schema) into <paramref name=\"value\"/>, an extension's object and the complex value created when absent; false (nothing read or created) for an attribute <c>Read</c> skips.</summary>");
            body.Open("public static bool ReadAttribute(" + type + " value, string? schemaUrn, scoped global::System.ReadOnlySpan<byte> name, scoped global::System.ReadOnlySpan<byte> subAttribute, ref " + Reader + " reader)");
            body.Open("if (schemaUrn is null || string.Equals(schemaUrn, " + SourceWriter.Literal(resource.Schema.Id) + ", global::System.StringComparison.OrdinalIgnoreCase))");
            body.Line("return subAttribute.IsEmpty ? ReadMember(value, name, ref reader) : ReadSubAttribute(value, name, subAttribute, ref reader);");
            body.Close();
            body.Line();
            foreach (var extension in resource.Extensions)
            {
                var extensionType = "global::" + extension.Object.FullName;
                var extensionJson = "global::" + Names.ResourcesNamespace + "." + extension.Object.ClassName + "Json";
                body.Open("if (string.Equals(schemaUrn, " + SourceWriter.Literal(extension.Schema.Id) + ", global::System.StringComparison.OrdinalIgnoreCase))");
                body.Line("var extension = value." + extension.Object.ClassName + " ?? new " + extensionType + "();");
                body.Open("if (!(subAttribute.IsEmpty ? " + extensionJson + ".ReadMember(extension, name, ref reader) : " + extensionJson + ".ReadSubAttribute(extension, name, subAttribute, ref reader)))");
                body.Line("return false;");
                body.Close();
                body.Line();
                body.Line("value." + extension.Object.ClassName + " = extension;");
                body.Line("return true;");
                body.Close();
                body.Line();
            }

            body.Line("return false;");
            body.Close();
            body.Line();
            body.Line("/// <summary>Writes a " + name + " as one JSON object (a response representation); <c>returned: never</c> attributes are never written.</summary>");
            body.Line("public static void Write(" + Writer + " writer, " + type + " value) => Write(writer, value, null);");
            body.Line();
            body.Line("/// <summary>");
            body.Line("/// Writes a " + name + " as one JSON object, its meta.location (when its meta names neither a location");
            body.Line("/// nor a location base) as <paramref name=\"locationBase\"/> followed by its id: a response written");
            body.Line("/// from a resource others share, which it must not change.");
            body.Line("/// </summary>");
            body.Open("public static void Write(" + Writer + " writer, " + type + " value, string? locationBase)");
            body.Line("global::System.ArgumentNullException.ThrowIfNull(writer);");
            body.Line("global::System.ArgumentNullException.ThrowIfNull(value);");
            body.Line("writer.WriteStartObject();");
            body.Line("writer.WriteStartArray(" + names.Get("schemas") + ");");
            body.Line("writer.WriteStringValue(" + coreUrn + ");");
            foreach (var extension in resource.Extensions)
            {
                body.Open("if (value." + extension.Object.ClassName + " is not null)");
                body.Line("writer.WriteStringValue(" + names.Get(extension.Schema.Id, "s_urn" + extension.Object.ClassName) + ");");
                body.Close();
            }

            body.Line("writer.WriteEndArray();");
            body.Open("if (value.Id is { } id)");
            body.Line("writer.WriteString(" + names.Get("id") + ", id);");
            body.Close();
            body.Open("if (value.ExternalId is { } externalId)");
            body.Line("writer.WriteString(" + names.Get("externalId") + ", externalId);");
            body.Close();
            WriteMembers(body, resource.Object, names);
            foreach (var extension in resource.Extensions)
            {
                body.Open("if (value." + extension.Object.ClassName + " is { } " + Local(extension.Object.ClassName) + ")");
                body.Line("writer.WritePropertyName(" + names.Get(extension.Schema.Id, "s_urn" + extension.Object.ClassName) + ");");
                body.Line("global::" + Names.ResourcesNamespace + "." + extension.Object.ClassName + "Json.Write(writer, " + Local(extension.Object.ClassName) + ");");
                body.Close();
            }

            body.Open("if (value.Meta is { } meta)");
            body.Line(Helpers + ".WriteMeta(writer, meta, value.Id, locationBase);");
            body.Close();
            body.Line("writer.WriteEndObject();");
            body.Close();
            WriteComplexMethods(body, resource.Object, names);

            context.AddSource(name + "Json.g.cs", Finish(name + "Json", "JSON reading and writing of <see cref=\"" + name + "\"/> (RFC 7643 §8, RFC 7644 §3).", names, body));
        }

        foreach (var extension in plan.Extensions)
        {
            var names = new EncodedNames();
            var body = new SourceWriter();
            body.Indent();
            var type = "global::" + extension.Object.FullName;
            var name = extension.Object.ClassName;
            body.Line("/// <summary>Reads the extension object (the value under its schema URN); the reader is at its StartObject.</summary>");
            body.Open("public static " + type + " Read(ref " + Reader + " reader)");
            body.Line(Helpers + ".ExpectObject(ref reader, " + SourceWriter.Literal(extension.Schema.Id) + ");");
            body.Line("var value = new " + type + "();");
            WriteReadLoop(body, extension.Object, new List<(string, string)>(), "ReadMember");
            body.Line("return value;");
            body.Close();
            body.Line();
            WriteReadMember(body, type, extension.Object, new List<(string, string)>());
            body.Line();
            body.Line("/// <summary>Writes the extension object (without its URN key).</summary>");
            body.Open("public static void Write(" + Writer + " writer, " + type + " value)");
            body.Line("global::System.ArgumentNullException.ThrowIfNull(writer);");
            body.Line("global::System.ArgumentNullException.ThrowIfNull(value);");
            body.Line("writer.WriteStartObject();");
            WriteMembers(body, extension.Object, names);
            body.Line("writer.WriteEndObject();");
            body.Close();
            WriteComplexMethods(body, extension.Object, names);
            context.AddSource(name + "Json.g.cs", Finish(name + "Json", "JSON reading and writing of the <see cref=\"" + name + "\"/> extension.", names, body));
        }
    }

    private static Microsoft.CodeAnalysis.Text.SourceText Finish(string className, string summary, EncodedNames names, SourceWriter body)
    {
        var writer = new SourceWriter().Header(Names.ResourcesNamespace);
        writer.Line("/// <summary>" + summary + "</summary>");
        writer.Line(SourceWriter.GeneratedCodeAttribute);
        writer.Open("public static partial class " + className);
        foreach (var (field, text) in names.All)
        {
            writer.Line("private static readonly global::System.Text.Json.JsonEncodedText " + field + " = global::System.Text.Json.JsonEncodedText.Encode(" + SourceWriter.Literal(text) + ");");
        }

        writer.Line();
        var result = writer.ToString() + body.ToString() + "}\n";
        return Microsoft.CodeAnalysis.Text.SourceText.From(result, Encoding.UTF8);
    }

    /// <summary>The property loop of an object; the reader is at its StartObject and ends at its EndObject.</summary>
    /// <param name="memberMethod">The emitted <see cref="WriteReadMember"/> method the loop calls; null to switch inline (complex values).</param>
    /// <param name="schemas">Whether the loop collects "schemas" into the <c>schemas</c> parameter (a resource's).</param>
    private static void WriteReadLoop(SourceWriter body, ObjectPlan obj, List<(string Name, string Statement)> extra, string? memberMethod = null, bool schemas = false)
    {
        body.Open("while (reader.Read() && reader.TokenType != " + TokenType + ".EndObject)");
        body.Line("var name = " + Helpers + ".Utf8Text(ref reader);");
        body.Line("reader.Read();");
        if (schemas)
        {
            body.Open("if (schemas is not null && " + Helpers + ".NameEquals(name, \"schemas\"u8))");
            body.Line(Helpers + ".ReadSchemaUrns(ref reader, schemas);");
            body.Line("continue;");
            body.Close();
            body.Line();
        }

        if (memberMethod is not null)
        {
            body.Open("if (" + memberMethod + "(value, name, ref reader))");
            body.Line("continue;");
            body.Close();
            body.Line();
        }
        else
        {
            WriteMemberSwitch(body, ReadCases(obj, extra), "continue;");
        }

        body.Line("// unknown, readOnly, \"schemas\" (unless collected above): skipped");
        body.Line("reader.Skip();");
        body.Close();
    }

    /// <summary>
    /// <c>ReadMember(value, name, ref reader)</c>: reads the value of the member <c>name</c> (the reader
    /// at its first token) into <c>value</c>, as <c>Read</c> does; false, reading nothing, for a member
    /// <c>Read</c> skips. PATCH sets one attribute through it (SimplePatch), so a PATCH value meets
    /// the same type rules and tolerances as a POST body's.
    /// </summary>
    private static void WriteReadMember(SourceWriter body, string type, ObjectPlan obj, List<(string Name, string Statement)> extra)
    {
        body.Line("/// <summary>Reads the value of member <paramref name=\"name\"/> into <paramref name=\"value\"/>, as <c>Read</c> does; false (nothing read) for a member <c>Read</c> skips.</summary>");
        body.Open("public static bool ReadMember(" + type + " value, scoped global::System.ReadOnlySpan<byte> name, ref " + Reader + " reader)");
        WriteMemberSwitch(body, ReadCases(obj, extra), "return true;");
        body.Line("return false;");
        body.Close();
        body.Line();

        // A sub-attribute of a single complex value the client may write (name.givenName, manager.value).
        var cases = new List<(string Name, string Statement)>();
        foreach (var member in obj.Members)
        {
            if (member.Complex is { } complex && !member.Attribute.MultiValued && member.Attribute.Mutability != Mutability.ReadOnly)
            {
                cases.Add((member.Attribute.Name,
                    "var complex = value." + member.PropertyName + " ?? new global::" + complex.FullName + "();"
                    + " if (!Read" + complex.ClassName + "Member(complex, subAttribute, ref reader)) { return false; }"
                    + " value." + member.PropertyName + " = complex;"));
            }
        }

        body.Line("/// <summary>Reads the value of sub-attribute <paramref name=\"subAttribute\"/> of the single complex member <paramref name=\"name\"/> into its value, created when absent; false (nothing read or created) for one its reader skips.</summary>");
        body.Open("public static bool ReadSubAttribute(" + type + " value, scoped global::System.ReadOnlySpan<byte> name, scoped global::System.ReadOnlySpan<byte> subAttribute, ref " + Reader + " reader)");
        WriteMemberSwitch(body, cases, "return true;");
        body.Line("return false;");
        body.Close();
    }

    private static List<(string Name, string Statement)> ReadCases(ObjectPlan obj, List<(string Name, string Statement)> extra)
    {
        var cases = new List<(string Name, string Statement)>(extra);
        foreach (var member in obj.Members)
        {
            // readOnly attributes are the server's to set: a client's value is dropped (RFC 7643 §7).
            if (member.Attribute.Mutability == Mutability.ReadOnly)
            {
                continue;
            }

            cases.Add((member.Attribute.Name, "value." + member.PropertyName + " = " + ReadExpression(member) + ";"));
        }

        return cases;
    }

    /// <summary>Dispatches on the name's byte length, then compares it; <paramref name="matched"/> ends a matched case.</summary>
    private static void WriteMemberSwitch(SourceWriter body, List<(string Name, string Statement)> cases, string matched)
    {
        if (cases.Count == 0)
        {
            return;
        }

        var byLength = new SortedDictionary<int, List<(string Name, string Statement)>>();
        foreach (var @case in cases)
        {
            var length = Encoding.UTF8.GetByteCount(@case.Name);
            if (!byLength.TryGetValue(length, out var list))
            {
                byLength[length] = list = new List<(string, string)>();
            }

            list.Add(@case);
        }

        body.Open("switch (name.Length)");
        foreach (var pair in byLength)
        {
            body.Line("case " + pair.Key.ToString(CultureInfo.InvariantCulture) + ":");
            body.Indent();
            foreach (var (name, statement) in pair.Value)
            {
                body.Open("if (" + Helpers + ".NameEquals(name, " + SourceWriter.Literal(name) + "u8))");
                body.Line(statement);
                body.Line(matched);
                body.Close();
                body.Line();
            }

            body.Line("break;");
            body.Unindent();
        }

        body.Close();
        body.Line();
    }

    private static string ReadExpression(MemberPlan member)
    {
        var path = SourceWriter.Literal(member.Path);
        if (member.Complex is not null)
        {
            return (member.Attribute.MultiValued ? "Read" + member.PropertyName : "Read" + member.Complex.ClassName) + "(ref reader)";
        }

        var suffix = member.Attribute.MultiValued ? "List" : string.Empty;
        if (member.Attribute.Mutability == Mutability.WriteOnly && !member.Attribute.MultiValued && ReaderName(member.Attribute.Type) == "ReadString")
        {
            // A secret (a password): kept out of the shared table of repeated texts (JsonStringPool).
            return Helpers + ".ReadSecretString(ref reader, " + path + ")";
        }

        return Helpers + "." + ReaderName(member.Attribute.Type) + suffix + "(ref reader, " + path + ")";
    }

    private static string ReaderName(AttributeType type) => type switch
    {
        AttributeType.Boolean => "ReadBoolean",
        AttributeType.Integer => "ReadInt64",
        AttributeType.Decimal => "ReadDecimal",
        AttributeType.DateTime => "ReadDateTime",
        _ => "ReadString",
    };

    private static string WriterSuffix(AttributeType type) => type switch
    {
        AttributeType.Boolean => "Boolean",
        AttributeType.Integer => "Int64",
        AttributeType.Decimal => "Decimal",
        AttributeType.DateTime => "DateTime",
        _ => "String",
    };

    private static void WriteMembers(SourceWriter body, ObjectPlan obj, EncodedNames names)
    {
        var index = 0;
        foreach (var member in obj.Members)
        {
            if (member.Attribute.Returned == Returned.Never)
            {
                continue;
            }

            var local = "a" + (index++).ToString(CultureInfo.InvariantCulture);
            var name = names.Get(member.Attribute.Name);
            var attribute = member.Attribute;
            if (attribute.MultiValued)
            {
                body.Open("if (value." + member.PropertyName + " is { Count: > 0 } " + local + ")");
                if (member.Complex is not null)
                {
                    body.Line("writer.WriteStartArray(" + name + ");");
                    body.Open("foreach (var item in " + local + ")");
                    body.Line("Write" + member.Complex.ClassName + "(writer, item);");
                    body.Close();
                    body.Line("writer.WriteEndArray();");
                }
                else
                {
                    body.Line(Helpers + ".Write" + WriterSuffix(attribute.Type) + "List(writer, " + name + ", " + local + ");");
                }

                body.Close();
                continue;
            }

            body.Open("if (value." + member.PropertyName + " is { } " + local + ")");
            if (member.Complex is not null)
            {
                body.Line("writer.WritePropertyName(" + name + ");");
                body.Line("Write" + member.Complex.ClassName + "(writer, " + local + ");");
            }
            else
            {
                body.Line(attribute.Type switch
                {
                    AttributeType.Boolean => "writer.WriteBoolean(" + name + ", " + local + ");",
                    AttributeType.Integer or AttributeType.Decimal => "writer.WriteNumber(" + name + ", " + local + ");",
                    _ => "writer.WriteString(" + name + ", " + local + ");",
                });
            }

            body.Close();
        }
    }

    private static MemberPlan? ValueMember(ObjectPlan complex)
    {
        foreach (var member in complex.Members)
        {
            if (member.Attribute.Name == "value" && !member.Attribute.MultiValued && member.Attribute.Type == AttributeType.String)
            {
                return member;
            }
        }

        return null;
    }

    private static void WriteComplexMethods(SourceWriter body, ObjectPlan owner, EncodedNames names)
    {
        foreach (var member in owner.Members)
        {
            if (member.Complex is not { } complex)
            {
                continue;
            }

            var type = "global::" + complex.FullName;
            var path = SourceWriter.Literal(member.Path);
            if (member.Attribute.Mutability != Mutability.ReadOnly)
            {
                if (member.Attribute.MultiValued)
                {
                    body.Line();
                    body.Open("private static global::System.Collections.Generic.List<" + type + ">? Read" + member.PropertyName + "(ref " + Reader + " reader)");
                    body.Open("if (reader.TokenType == " + TokenType + ".Null)");
                    body.Line("return null;");
                    body.Close();
                    body.Line();
                    body.Line(Helpers + ".ExpectArray(ref reader, " + path + ");");
                    body.Line("var list = new global::System.Collections.Generic.List<" + type + ">();");
                    body.Open("while (reader.Read() && reader.TokenType != " + TokenType + ".EndArray)");
                    body.Open("if (Read" + complex.ClassName + "(ref reader) is { } item)");
                    body.Line("list.Add(item);");
                    body.Close();
                    body.Close();
                    body.Line();
                    body.Line("return list;");
                    body.Close();
                }

                body.Line();
                body.Open("private static " + type + "? Read" + complex.ClassName + "(ref " + Reader + " reader)");
                body.Open("if (reader.TokenType == " + TokenType + ".Null)");
                body.Line("return null;");
                body.Close();
                body.Line();
                if (!member.Attribute.MultiValued && ValueMember(complex) is { } valueMember)
                {
                    // Entra sends "manager": "id" for {"value": "id"} (IDP-BEHAVIOUR.md); in the
                    // RFC 7643 schemas only manager is a single complex attribute with "value".
                    body.Open("if (reader.TokenType == " + TokenType + ".String)");
                    body.Line(Tolerance + ".Use(" + Tolerance + "Rule.ManagerAsString);");
                    body.Line("return new " + type + " { " + valueMember.PropertyName + " = " + Helpers + ".Text(ref reader, " + path + ") };");
                    body.Close();
                    body.Line();
                }

                body.Line(Helpers + ".ExpectObject(ref reader, " + path + ");");
                body.Line("var value = new " + type + "();");
                WriteReadLoop(body, complex, new List<(string, string)>(), "Read" + complex.ClassName + "Member");
                body.Line("return value;");
                body.Close();
                body.Line();
                body.Line("/// <summary>Reads the value of sub-attribute <paramref name=\"name\"/> into <paramref name=\"value\"/>, as the value's reader does; false (nothing read) for one it skips.</summary>");
                body.Open("private static bool Read" + complex.ClassName + "Member(" + type + " value, scoped global::System.ReadOnlySpan<byte> name, ref " + Reader + " reader)");
                WriteMemberSwitch(body, ReadCases(complex, new List<(string, string)>()), "return true;");
                body.Line("return false;");
                body.Close();
            }

            if (member.Attribute.Returned != Returned.Never)
            {
                body.Line();
                body.Open("private static void Write" + complex.ClassName + "(" + Writer + " writer, " + type + " value)");
                body.Line("writer.WriteStartObject();");
                WriteMembers(body, complex, names);
                body.Line("writer.WriteEndObject();");
                body.Close();
            }
        }
    }

    private static string Local(string className) => "x" + className;

    /// <summary>One pre-encoded property name per distinct JSON name in a class.</summary>
    private sealed class EncodedNames
    {
        private readonly Dictionary<string, string> _fields = new(System.StringComparer.Ordinal);
        private readonly HashSet<string> _used = new(System.StringComparer.Ordinal);

        public List<(string Field, string Text)> All { get; } = new();

        /// <summary>The field for <paramref name="text"/>; <paramref name="fieldName"/> overrides the derived name (URNs).</summary>
        public string Get(string text, string? fieldName = null)
        {
            if (_fields.TryGetValue(text, out var field))
            {
                return field;
            }

            var baseName = fieldName ?? "s_" + Sanitize(text);
            field = baseName;
            for (var i = 2; !_used.Add(field); i++)
            {
                field = baseName + i.ToString(CultureInfo.InvariantCulture);
            }

            _fields[text] = field;
            All.Add((field, text));
            return field;
        }

        private static string Sanitize(string text)
        {
            var builder = new StringBuilder();
            foreach (var c in text)
            {
                builder.Append(char.IsLetterOrDigit(c) ? c : '_');
            }

            return builder.ToString();
        }
    }
}
