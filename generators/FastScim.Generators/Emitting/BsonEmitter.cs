using System.Collections.Generic;
using FastScim.Core.Schema;
using Microsoft.CodeAnalysis;

namespace FastScim.Generators.Emitting;

/// <summary>
/// Emits <c>{Resource}Bson</c> for FastScim.Storage: explicit field-by-field mapping to LiteDB's
/// <c>BsonDocument</c> (LiteDB's own BsonMapper uses reflection, which AOT and the hot path avoid),
/// and, through <see cref="BsonBytesEmitter"/> and <see cref="BsonReadEmitter"/>, the same document's
/// bytes written and read directly. A change to <c>ToDocument</c> or <c>FromDocument</c> here needs the
/// same change there (the byte-equality and mutated-document tests catch a mismatch).
/// </summary>
internal static class BsonEmitter
{
    private const string Doc = "global::LiteDB.BsonDocument";
    private const string Arr = "global::LiteDB.BsonArray";
    private const string Val = "global::LiteDB.BsonValue";
    private const string Helpers = "global::FastScim.Storage.Bson.ScimBsonHelpers";

    public static void Emit(SourceProductionContext context, GenerationPlan plan)
    {
        context.AddSource("ScimBsonHelpers.g.cs", Microsoft.CodeAnalysis.Text.SourceText.From(HelpersSource, System.Text.Encoding.UTF8));
        foreach (var resource in plan.Resources)
        {
            var type = "global::" + resource.Object.FullName;
            var name = resource.Object.ClassName;
            var writer = new SourceWriter().Header(Names.BsonNamespace);
            writer.Line("/// <summary>Maps <see cref=\"" + type + "\"/> to and from a LiteDB document without reflection.</summary>");
            writer.Line(SourceWriter.GeneratedCodeAttribute);
            writer.Open("public static partial class " + name + "Bson");
            writer.Line("/// <summary>Indexes the collection needs: one per attribute with uniqueness server or global.</summary>");
            writer.Line("public static global::System.Collections.Generic.IReadOnlyList<global::FastScim.Storage.BsonIndex> Indexes { get; } = new global::FastScim.Storage.BsonIndex[]");
            writer.Line("{");
            writer.Indent();
            foreach (var (path, attribute) in UniqueAttributes(resource))
            {
                var expression = attribute.CaseExact ? "$." + path : "LOWER($." + path + ")";
                writer.Line("new global::FastScim.Storage.BsonIndex(" + SourceWriter.Literal(path) + ", " + SourceWriter.Literal(expression) + ", Unique: true),");
            }

            writer.Unindent();
            writer.Line("};");
            writer.Line();

            writer.Line("/// <summary>The document for a resource: <c>_id</c> is <c>Id</c>; other keys are the schema attribute names.</summary>");
            writer.Open("public static " + Doc + " ToDocument(" + type + " value)");
            writer.Line("global::System.ArgumentNullException.ThrowIfNull(value);");
            writer.Line("var document = new " + Doc + "();");
            writer.Open("if (value.Id is { } id)");
            writer.Line("document[\"_id\"] = id;");
            writer.Close();
            writer.Open("if (value.ExternalId is { } externalId)");
            writer.Line("document[\"externalId\"] = externalId;");
            writer.Close();
            writer.Open("if (value.Meta is { } meta)");
            writer.Line("document[\"meta\"] = " + Helpers + ".MetaToDocument(meta);");
            writer.Close();
            WriteToDocument(writer, resource.Object, "value", "document");
            foreach (var extension in resource.Extensions)
            {
                writer.Open("if (value." + extension.Object.ClassName + " is { } x" + extension.Object.ClassName + ")");
                writer.Line("document[" + SourceWriter.Literal(Names.Camel(extension.Object.ClassName)) + "] = " + extension.Object.ClassName + "ToDocument(x" + extension.Object.ClassName + ");");
                writer.Close();
            }

            writer.Line("return document;");
            writer.Close();
            writer.Line();
            writer.Line("/// <summary>The resource a document holds; fields of an unexpected BSON type are left unassigned.</summary>");
            writer.Open("public static " + type + " FromDocument(" + Doc + " document)");
            writer.Line("global::System.ArgumentNullException.ThrowIfNull(document);");
            writer.Line("var value = new " + type + "();");
            writer.Open("if (document.TryGetValue(\"_id\", out var id) && id.IsString)");
            writer.Line("value.Id = id.AsString;");
            writer.Close();
            writer.Open("if (document.TryGetValue(\"externalId\", out var externalId) && externalId.IsString)");
            writer.Line("value.ExternalId = externalId.AsString;");
            writer.Close();
            writer.Open("if (document.TryGetValue(\"meta\", out var meta) && meta.IsDocument)");
            writer.Line("value.Meta = " + Helpers + ".MetaFromDocument(meta.AsDocument);");
            writer.Close();
            WriteFromDocument(writer, resource.Object, "value", "document");
            foreach (var extension in resource.Extensions)
            {
                var key = Names.Camel(extension.Object.ClassName);
                writer.Open("if (document.TryGetValue(" + SourceWriter.Literal(key) + ", out var x" + extension.Object.ClassName + ") && x" + extension.Object.ClassName + ".IsDocument)");
                writer.Line("value." + extension.Object.ClassName + " = " + extension.Object.ClassName + "FromDocument(x" + extension.Object.ClassName + ".AsDocument);");
                writer.Close();
            }

            writer.Line("return value;");
            writer.Close();
            writer.Line();
            BsonBytesEmitter.EmitToBytes(writer, resource);
            writer.Line();
            BsonReadEmitter.EmitFromBytes(writer, resource);

            var objects = new List<ObjectPlan>();
            CollectComplex(resource.Object, objects);
            foreach (var extension in resource.Extensions)
            {
                objects.Add(extension.Object);
                CollectComplex(extension.Object, objects);
            }

            foreach (var obj in objects)
            {
                var objType = "global::" + obj.FullName;
                writer.Line();
                writer.Open("private static " + Doc + " " + obj.ClassName + "ToDocument(" + objType + " value)");
                writer.Line("var document = new " + Doc + "();");
                WriteToDocument(writer, obj, "value", "document");
                writer.Line("return document;");
                writer.Close();
                writer.Line();
                writer.Open("private static " + objType + " " + obj.ClassName + "FromDocument(" + Doc + " document)");
                writer.Line("var value = new " + objType + "();");
                WriteFromDocument(writer, obj, "value", "document");
                writer.Line("return value;");
                writer.Close();
                writer.Line();
                BsonBytesEmitter.EmitObjectToBytes(writer, obj);
                writer.Line();
                BsonReadEmitter.EmitObjectFromBytes(writer, obj);
            }

            BsonReadEmitter.EmitListReaders(writer, resource, objects);

            writer.Close();
            context.AddSource(name + "Bson.g.cs", writer.ToSourceText());
        }
    }

    private static IEnumerable<(string Path, AttributeSpecView Attribute)> UniqueAttributes(ResourcePlan resource)
    {
        foreach (var member in resource.Object.Members)
        {
            if (member.Attribute.Uniqueness != Uniqueness.None && member.Complex is null)
            {
                yield return (member.Attribute.Name, new AttributeSpecView(member.Attribute.CaseExact));
            }
        }

        foreach (var extension in resource.Extensions)
        {
            foreach (var member in extension.Object.Members)
            {
                if (member.Attribute.Uniqueness != Uniqueness.None && member.Complex is null)
                {
                    yield return (Names.Camel(extension.Object.ClassName) + "." + member.Attribute.Name, new AttributeSpecView(member.Attribute.CaseExact));
                }
            }
        }
    }

    private readonly record struct AttributeSpecView(bool CaseExact);

    private static void CollectComplex(ObjectPlan obj, List<ObjectPlan> into)
    {
        foreach (var member in obj.Members)
        {
            if (member.Complex is not null)
            {
                into.Add(member.Complex);
            }
        }
    }

    private static void WriteToDocument(SourceWriter writer, ObjectPlan obj, string value, string document)
    {
        var index = 0;
        foreach (var member in obj.Members)
        {
            var local = "f" + (index++).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var key = SourceWriter.Literal(member.Attribute.Name);
            if (member.Attribute.MultiValued)
            {
                writer.Open("if (" + value + "." + member.PropertyName + " is { } " + local + ")");
                writer.Line("var array = new " + Arr + "();");
                writer.Open("foreach (var item in " + local + ")");
                writer.Line("array.Add(" + (member.Complex is not null ? member.Complex.ClassName + "ToDocument(item)" : ToBson(member.Attribute.Type, "item")) + ");");
                writer.Close();
                writer.Line(document + "[" + key + "] = array;");
                writer.Close();
                continue;
            }

            writer.Open("if (" + value + "." + member.PropertyName + " is { } " + local + ")");
            writer.Line(document + "[" + key + "] = " + (member.Complex is not null ? member.Complex.ClassName + "ToDocument(" + local + ")" : ToBson(member.Attribute.Type, local)) + ";");
            writer.Close();
        }
    }

    private static void WriteFromDocument(SourceWriter writer, ObjectPlan obj, string value, string document)
    {
        var index = 0;
        foreach (var member in obj.Members)
        {
            var local = "f" + (index++).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var key = SourceWriter.Literal(member.Attribute.Name);
            if (member.Attribute.MultiValued)
            {
                writer.Open("if (" + document + ".TryGetValue(" + key + ", out var " + local + ") && " + local + ".IsArray)");
                writer.Line("var array = " + local + ".AsArray;");
                writer.Line("var list = new global::System.Collections.Generic.List<" + member.ElementType + ">(array.Count);");
                writer.Open("for (var i = 0; i < array.Count; i++)");
                writer.Line("var item = array[i];");
                if (member.Complex is not null)
                {
                    writer.Open("if (item.IsDocument)");
                    writer.Line("list.Add(" + member.Complex.ClassName + "FromDocument(item.AsDocument));");
                }
                else
                {
                    writer.Open("if (" + IsType(member.Attribute.Type, "item") + ")");
                    writer.Line("list.Add(" + FromBson(member.Attribute.Type, "item") + ");");
                }

                writer.Close();
                writer.Close();
                writer.Line(value + "." + member.PropertyName + " = list;");
                writer.Close();
                continue;
            }

            if (member.Complex is not null)
            {
                writer.Open("if (" + document + ".TryGetValue(" + key + ", out var " + local + ") && " + local + ".IsDocument)");
                writer.Line(value + "." + member.PropertyName + " = " + member.Complex.ClassName + "FromDocument(" + local + ".AsDocument);");
            }
            else
            {
                writer.Open("if (" + document + ".TryGetValue(" + key + ", out var " + local + ") && " + IsType(member.Attribute.Type, local) + ")");
                writer.Line(value + "." + member.PropertyName + " = " + FromBson(member.Attribute.Type, local) + ";");
            }

            writer.Close();
        }
    }

    private static string ToBson(AttributeType type, string expression) => type switch
    {
        AttributeType.DateTime => Helpers + ".FromDateTimeOffset(" + expression + ")",
        _ => "new " + Val + "(" + expression + ")",
    };

    private static string IsType(AttributeType type, string value) => type switch
    {
        AttributeType.Boolean => value + ".IsBoolean",
        AttributeType.Integer => value + ".IsNumber",
        AttributeType.Decimal => value + ".IsNumber",
        AttributeType.DateTime => value + ".IsDateTime",
        _ => value + ".IsString",
    };

    private static string FromBson(AttributeType type, string value) => type switch
    {
        AttributeType.Boolean => value + ".AsBoolean",
        AttributeType.Integer => value + ".AsInt64",
        AttributeType.Decimal => value + ".AsDecimal",
        AttributeType.DateTime => Helpers + ".ToDateTimeOffset(" + value + ")",
        _ => value + ".AsString",
    };

    private const string HelpersSource = """
// <auto-generated/>
#nullable enable

namespace FastScim.Storage.Bson;

/// <summary>Shared pieces of the generated BSON mappings.</summary>
[global::System.CodeDom.Compiler.GeneratedCode("FastScim.Generators", "1.0.0")]
internal static class ScimBsonHelpers
{
    /// <summary>BSON dates are UTC milliseconds; stored as UTC.</summary>
    internal static global::LiteDB.BsonValue FromDateTimeOffset(global::System.DateTimeOffset value) => new global::LiteDB.BsonValue(value.UtcDateTime);

    /// <summary>A stored date, in UTC: the store reads dates so (LiteDbFile, utcDate: true); one read another way, in local time, is normalised too.</summary>
    internal static global::System.DateTimeOffset ToDateTimeOffset(global::LiteDB.BsonValue value) => ToDateTimeOffset(value.AsDateTime);

    /// <summary>A date as a BsonValue holds it (or as <c>BsonElement.AsDateTime</c> reads it), normalised to UTC.</summary>
    internal static global::System.DateTimeOffset ToDateTimeOffset(global::System.DateTime date)
    {
        date = date.Kind switch
        {
            global::System.DateTimeKind.Local => date.ToUniversalTime(),
            global::System.DateTimeKind.Unspecified => global::System.DateTime.SpecifyKind(date, global::System.DateTimeKind.Utc),
            _ => date,
        };
        return new global::System.DateTimeOffset(date, global::System.TimeSpan.Zero);
    }

    /// <summary><c>meta</c> without <c>location</c>, which is computed per request from the base URL.</summary>
    internal static global::LiteDB.BsonDocument MetaToDocument(global::FastScim.Core.Resources.ResourceMeta meta)
    {
        var document = new global::LiteDB.BsonDocument();
        if (meta.ResourceType is { } resourceType)
        {
            document["resourceType"] = resourceType;
        }

        if (meta.Created is { } created)
        {
            document["created"] = FromDateTimeOffset(created);
        }

        if (meta.LastModified is { } lastModified)
        {
            document["lastModified"] = FromDateTimeOffset(lastModified);
        }

        if (meta.Version is { } version)
        {
            document["version"] = version;
        }

        return document;
    }

    /// <summary>What <see cref="MetaToDocument"/> holds, in its order, written by the generated <c>ToBytes</c> (no <c>location</c> either).</summary>
    internal static void MetaToBytes(global::FastScim.Storage.Bson.BsonBytesWriter writer, global::System.ReadOnlySpan<byte> key, global::FastScim.Core.Resources.ResourceMeta meta)
    {
        var start = writer.BeginDocument(key);
        if (meta.ResourceType is { } resourceType)
        {
            writer.WriteString("resourceType"u8, resourceType);
        }

        if (meta.Created is { } created)
        {
            writer.WriteDateTime("created"u8, created);
        }

        if (meta.LastModified is { } lastModified)
        {
            writer.WriteDateTime("lastModified"u8, lastModified);
        }

        if (meta.Version is { } version)
        {
            writer.WriteString("version"u8, version);
        }

        writer.End(start);
    }

    internal static global::FastScim.Core.Resources.ResourceMeta MetaFromDocument(global::LiteDB.BsonDocument document)
    {
        var meta = new global::FastScim.Core.Resources.ResourceMeta();
        if (document.TryGetValue("resourceType", out var resourceType) && resourceType.IsString)
        {
            meta.ResourceType = resourceType.AsString;
        }

        if (document.TryGetValue("created", out var created) && created.IsDateTime)
        {
            meta.Created = ToDateTimeOffset(created);
        }

        if (document.TryGetValue("lastModified", out var lastModified) && lastModified.IsDateTime)
        {
            meta.LastModified = ToDateTimeOffset(lastModified);
        }

        if (document.TryGetValue("version", out var version) && version.IsString)
        {
            meta.Version = version.AsString;
        }

        return meta;
    }

    /// <summary>What <see cref="MetaFromDocument"/> gives for the document's bytes, read as the generated <c>FromBytes</c> reads (the last of a repeated key wins).</summary>
    internal static global::FastScim.Core.Resources.ResourceMeta MetaFromBytes(global::System.ReadOnlySpan<byte> bson)
    {
        global::FastScim.Storage.Bson.BsonElement resourceType = default, created = default, lastModified = default, version = default;
        foreach (var element in new global::FastScim.Storage.Bson.BsonElements(bson))
        {
            if (element.NameIs("resourceType"u8))
            {
                resourceType = element;
            }
            else if (element.NameIs("created"u8))
            {
                created = element;
            }
            else if (element.NameIs("lastModified"u8))
            {
                lastModified = element;
            }
            else if (element.NameIs("version"u8))
            {
                version = element;
            }
        }

        var meta = new global::FastScim.Core.Resources.ResourceMeta();
        meta.ResourceType = resourceType.Type == global::FastScim.Storage.Bson.BsonElements.String ? resourceType.AsString() : null;
        meta.Created = created.Type == global::FastScim.Storage.Bson.BsonElements.DateTime ? ToDateTimeOffset(created.AsDateTime()) : null;
        meta.LastModified = lastModified.Type == global::FastScim.Storage.Bson.BsonElements.DateTime ? ToDateTimeOffset(lastModified.AsDateTime()) : null;
        meta.Version = version.Type == global::FastScim.Storage.Bson.BsonElements.String ? version.AsString() : null;
        return meta;
    }
}

""";
}
