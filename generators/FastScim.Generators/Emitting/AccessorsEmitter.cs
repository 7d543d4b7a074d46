using System.Collections.Generic;
using FastScim.Core.Schema;
using FastScim.Generators.Model;
using Microsoft.CodeAnalysis;

namespace FastScim.Generators.Emitting;

/// <summary>
/// Emits <c>{Class}Accessors</c> for every resource type, extension and complex type:
/// typed predicates by attribute path for the filter compiler (docs/generated-code.md,
/// "Accessors"). Every path is resolved when a filter is compiled; the delegates returned read
/// properties directly, so evaluation does no lookup, reflection or boxing.
/// </summary>
internal static class AccessorsEmitter
{
    private const string F = "global::FastScim.Core.Filtering.";
    private const string H = "global::FastScim.Core.Filtering.AccessorHelpers.";
    private const string Def = "global::FastScim.Core.Schema.AttributeDefinition";
    private const string PathType = "global::FastScim.Core.Filtering.AttributePath";

    private enum Kind
    {
        Resource,
        Extension,
        Complex,
    }

    public static void Emit(SourceProductionContext context, GenerationPlan plan)
    {
        var done = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var resource in plan.Resources)
        {
            done.Add(resource.Object.ClassName);
            Write(context, resource.Object, Kind.Resource, resource.Extensions, "resource type " + resource.ResourceType.Name);
        }

        foreach (var extension in plan.Extensions)
        {
            if (done.Add(extension.Object.ClassName))
            {
                Write(context, extension.Object, Kind.Extension, null, "extension " + extension.Schema.Id);
            }
        }

        foreach (var (complex, _) in plan.ComplexTypes)
        {
            if (done.Add(complex.ClassName))
            {
                Write(context, complex, Kind.Complex, null, "values of " + complex.PathPrefix.TrimEnd('.'));
            }
        }
    }

    private static void Write(SourceProductionContext context, ObjectPlan obj, Kind kind, List<ExtensionPlan>? extensions, string what)
    {
        var type = "global::" + obj.FullName;
        var func = "global::System.Func<" + type + ", bool>";
        var writer = new SourceWriter().Header(Names.ResourcesNamespace);
        writer.Line("/// <summary>Typed access by attribute path to <see cref=\"" + obj.ClassName + "\"/> (" + ResourceEmitter.Xml(what) + "), for compiled filters.</summary>");
        writer.Line(SourceWriter.GeneratedCodeAttribute);
        writer.Open("public sealed class " + obj.ClassName + "Accessors : " + F + "IScimAccessors<" + type + ">");
        writer.Line("private const string SchemaId = " + SourceWriter.Literal(obj.SchemaId) + ";");
        writer.Line();
        writer.Open("private " + obj.ClassName + "Accessors()");
        writer.Close();

        // Definition
        writer.Line();
        writer.Line("/// <inheritdoc cref=\"" + F.Substring(8) + "IScimAccessors{T}.Definition\"/>");
        writer.Open("public static " + Def + "? Definition(" + PathType + " path)");
        Prologue(writer, obj, kind, extensions, e => "return global::" + e.Object.FullName + "Accessors.Definition(" + H + "Unqualified(path));");
        if (kind == Kind.Resource)
        {
            writer.Line("if (" + H + "Is(name, \"id\")) return sub is null ? " + F + "CommonAttributes.Id : null;");
            writer.Line("if (" + H + "Is(name, \"externalId\")) return sub is null ? " + F + "CommonAttributes.ExternalId : null;");
            writer.Line("if (" + H + "Is(name, \"schemas\")) return sub is null ? " + F + "CommonAttributes.Schemas : null;");
            writer.Line("if (" + H + "Is(name, \"meta\")) return sub is null ? " + F + "CommonAttributes.Meta : " + F + "CommonAttributes.Meta.FindSubAttribute(sub);");
        }

        foreach (var member in obj.Members)
        {
            var find = kind == Kind.Complex
                ? Find(obj.SchemaId, obj.ParentAttribute!, "name")
                : Find(obj.SchemaId, member.Attribute.Name, "sub");
            writer.Line("if (" + H + "Is(name, " + SourceWriter.Literal(member.Attribute.Name) + ")) return " + find + ";");
        }

        writer.Line("return null;");
        writer.Close();

        // Match
        writer.Line();
        writer.Line("/// <inheritdoc cref=\"" + F.Substring(8) + "IScimAccessors{T}.Match\"/>");
        writer.Open("public static " + func + "? Match(" + PathType + " path, " + F + "ValueTest test)");
        Prologue(writer, obj, kind, extensions, e => Compose(e, "Match(" + H + "Unqualified(path), test)"));
        if (kind == Kind.Resource)
        {
            writer.Line("if (" + H + "Is(name, \"id\")) return sub is null ? v => test.Test(" + H + "Text(v.Id)) : null;");
            writer.Line("if (" + H + "Is(name, \"externalId\")) return sub is null ? v => test.Test(" + H + "Text(v.ExternalId)) : null;");
            writer.Line("if (" + H + "Is(name, \"schemas\")) return sub is null ? v => MatchSchemas(v, test) : null;");
            writer.Open("if (" + H + "Is(name, \"meta\"))");
            writer.Line("var inner = sub is null ? null : " + F + "ResourceMetaAccessors.Match(" + H + "Relative(sub), test);");
            writer.Line("return inner is null ? null : v => v.Meta is { } x && inner(x);");
            writer.Close();
        }

        foreach (var member in obj.Members)
        {
            var name = SourceWriter.Literal(member.Attribute.Name);
            var property = "v." + member.PropertyName;
            if (member.Complex is null)
            {
                string body;
                if (member.Attribute.MultiValued)
                {
                    body = IsText(member.Attribute.Type) ? H + "AnyString(" + property + ", test)" : H + "Any(" + property + ", test)";
                }
                else
                {
                    body = IsText(member.Attribute.Type) ? "test.Test(" + H + "Text(" + property + "))" : "test.Test(" + property + ")";
                }

                writer.Line("if (" + H + "Is(name, " + name + ")) return sub is null ? v => " + body + " : null;");
            }
            else
            {
                writer.Open("if (" + H + "Is(name, " + name + "))");
                writer.Line("// without a sub-attribute, a complex attribute is compared by its \"value\" (RFC 7643 §2.4)");
                writer.Line("var inner = global::" + member.Complex.FullName + "Accessors.Match(" + H + "Relative(sub ?? \"value\"), test);");
                writer.Line("return inner is null ? null : " + Over(member, property, "inner") + ";");
                writer.Close();
            }
        }

        writer.Line("return null;");
        writer.Close();

        // Present
        writer.Line();
        writer.Line("/// <inheritdoc cref=\"" + F.Substring(8) + "IScimAccessors{T}.Present\"/>");
        writer.Open("public static " + func + "? Present(" + PathType + " path)");
        Prologue(writer, obj, kind, extensions, e => Compose(e, "Present(" + H + "Unqualified(path))"));
        if (kind == Kind.Resource)
        {
            writer.Line("if (" + H + "Is(name, \"id\")) return sub is null ? static v => !string.IsNullOrEmpty(v.Id) : null;");
            writer.Line("if (" + H + "Is(name, \"externalId\")) return sub is null ? static v => !string.IsNullOrEmpty(v.ExternalId) : null;");
            writer.Line("if (" + H + "Is(name, \"schemas\")) return sub is null ? static v => true : null;");
            writer.Open("if (" + H + "Is(name, \"meta\"))");
            writer.Line("if (sub is null) return static v => " + F + "ResourceMetaAccessors.IsPresent(v.Meta);");
            writer.Line("var inner = " + F + "ResourceMetaAccessors.Present(" + H + "Relative(sub));");
            writer.Line("return inner is null ? null : v => v.Meta is { } x && inner(x);");
            writer.Close();
        }

        foreach (var member in obj.Members)
        {
            var name = SourceWriter.Literal(member.Attribute.Name);
            var property = "v." + member.PropertyName;
            if (member.Complex is null)
            {
                writer.Line("if (" + H + "Is(name, " + name + ")) return sub is null ? static v => " + PresentExpression(member, property) + " : null;");
            }
            else
            {
                var accessors = "global::" + member.Complex.FullName + "Accessors";
                writer.Open("if (" + H + "Is(name, " + name + "))");
                writer.Line("if (sub is null) return static v => " + PresentExpression(member, property) + ";");
                writer.Line("var inner = " + accessors + ".Present(" + H + "Relative(sub));");
                writer.Line("return inner is null ? null : " + Over(member, property, "inner") + ";");
                writer.Close();
            }
        }

        writer.Line("return null;");
        writer.Close();

        // MatchElements
        writer.Line();
        writer.Line("/// <inheritdoc cref=\"" + F.Substring(8) + "IScimAccessors{T}.MatchElements\"/>");
        writer.Open("public static " + func + "? MatchElements(" + PathType + " path, " + F + "IElementPredicateFactory factory)");
        Prologue(writer, obj, kind, extensions, e => Compose(e, "MatchElements(" + H + "Unqualified(path), factory)"));
        foreach (var member in obj.Members)
        {
            if (member.Complex is null || !member.Attribute.MultiValued)
            {
                continue;
            }

            writer.Open("if (" + H + "Is(name, " + SourceWriter.Literal(member.Attribute.Name) + ") && sub is null)");
            writer.Line("var definition = Definition(path);");
            writer.Line("if (definition is null) return null;");
            writer.Line("var inner = factory.Create<global::" + member.Complex.FullName + ", global::" + member.Complex.FullName + "Accessors>(definition);");
            writer.Line("return v => " + H + "Any(v." + member.PropertyName + ", inner);");
            writer.Close();
        }

        writer.Line("return null;");
        writer.Close();

        // Compare
        var comparison = "global::System.Comparison<" + type + ">";
        const string S = "global::FastScim.Core.Filtering.SortHelpers.";
        writer.Line();
        writer.Line("/// <inheritdoc cref=\"" + F.Substring(8) + "IScimAccessors{T}.Compare\"/>");
        writer.Open("public static " + comparison + "? Compare(" + PathType + " path)");
        Prologue(writer, obj, kind, extensions, e => "{ var inner = global::" + e.Object.FullName + "Accessors.Compare(" + H + "Unqualified(path)); return inner is null ? null : (a, b) => " + S + "Compare(a." + e.Object.ClassName + ", b." + e.Object.ClassName + ", inner); }");
        if (kind == Kind.Resource)
        {
            writer.Line("if (" + H + "Is(name, \"id\")) return sub is null ? static (a, b) => " + S + "Compare(a.Id, b.Id, caseExact: true) : null;");
            writer.Line("if (" + H + "Is(name, \"externalId\")) return sub is null ? static (a, b) => " + S + "Compare(a.ExternalId, b.ExternalId, caseExact: true) : null;");
            writer.Open("if (" + H + "Is(name, \"meta\"))");
            writer.Line("var inner = sub is null ? null : " + F + "ResourceMetaAccessors.Compare(" + H + "Relative(sub));");
            writer.Line("return inner is null ? null : (a, b) => " + S + "Compare(a.Meta, b.Meta, inner);");
            writer.Close();
        }

        foreach (var member in obj.Members)
        {
            var name = SourceWriter.Literal(member.Attribute.Name);
            var a = "a." + member.PropertyName;
            var b = "b." + member.PropertyName;
            if (member.Complex is null)
            {
                var caseExact = IsText(member.Attribute.Type) ? ", caseExact: " + (member.Attribute.CaseExact ? "true" : "false") : string.Empty;
                var body = member.Attribute.MultiValued
                    ? S + "Compare(" + S + "First(" + a + "), " + S + "First(" + b + ")" + caseExact + ")"
                    : S + "Compare(" + a + ", " + b + caseExact + ")";
                writer.Line("if (" + H + "Is(name, " + name + ")) return sub is null ? static (a, b) => " + body + " : null;");
            }
            else
            {
                var accessors = "global::" + member.Complex.FullName + "Accessors";
                writer.Open("if (" + H + "Is(name, " + name + "))");
                writer.Line("var inner = " + accessors + ".Compare(" + H + "Relative(sub ?? \"value\"));");
                if (member.Attribute.MultiValued)
                {
                    writer.Line("return inner is null ? null : (a, b) => " + S + "Compare(" + S + "Primary(" + a + ", " + accessors + ".IsPrimary), " + S + "Primary(" + b + ", " + accessors + ".IsPrimary), inner);");
                }
                else
                {
                    writer.Line("return inner is null ? null : (a, b) => " + S + "Compare(" + a + ", " + b + ", inner);");
                }

                writer.Close();
            }
        }

        writer.Line("return null;");
        writer.Close();

        if (kind == Kind.Complex)
        {
            var primary = obj.Members.Find(m => m.Complex is null && !m.Attribute.MultiValued && m.Attribute.Type == AttributeType.Boolean
                && string.Equals(m.Attribute.Name, "primary", System.StringComparison.OrdinalIgnoreCase));
            writer.Line();
            writer.Line("/// <summary>True for the value marked <c>primary</c> (RFC 7643 §2.4), which a sort by this attribute uses.</summary>");
            writer.Line("public static bool IsPrimary(" + type + " value) => " + (primary is null ? "false" : "value." + primary.PropertyName + " == true") + ";");
        }

        // IsPresent
        writer.Line();
        writer.Line("/// <summary>True when <paramref name=\"value\"/> has any attribute set (RFC 7644 §3.4.2.2 \"pr\": an empty complex value is not present).</summary>");
        writer.Open("public static bool IsPresent(" + type + "? value)");
        writer.Line("if (value is null) return false;");
        if (kind == Kind.Resource)
        {
            writer.Line("if (!string.IsNullOrEmpty(value.Id) || !string.IsNullOrEmpty(value.ExternalId) || " + F + "ResourceMetaAccessors.IsPresent(value.Meta)) return true;");
        }

        foreach (var member in obj.Members)
        {
            writer.Line("if (" + PresentExpression(member, "value." + member.PropertyName) + ") return true;");
        }

        if (extensions is not null)
        {
            foreach (var extension in extensions)
            {
                writer.Line("if (global::" + extension.Object.FullName + "Accessors.IsPresent(value." + extension.Object.ClassName + ")) return true;");
            }
        }

        writer.Line("return false;");
        writer.Close();

        if (kind == Kind.Resource)
        {
            // schemas (RFC 7643 §3): the core URN, then each extension whose object is present, as the writer writes them
            writer.Line();
            writer.Open("private static bool MatchSchemas(" + type + " v, " + F + "ValueTest test)");
            writer.Line("if (test.Test(SchemaId)) return true;");
            foreach (var extension in extensions!)
            {
                writer.Line("if (v." + extension.Object.ClassName + " is not null && test.Test(" + SourceWriter.Literal(extension.Schema.Id) + ")) return true;");
            }

            writer.Line("return false;");
            writer.Close();
        }

        writer.Close();
        context.AddSource(obj.ClassName + "Accessors.g.cs", writer.ToSourceText());
    }

    /// <summary>Opens a method body: the URN check (and delegation to extensions), then <c>name</c>/<c>sub</c> locals.</summary>
    private static void Prologue(SourceWriter writer, ObjectPlan obj, Kind kind, List<ExtensionPlan>? extensions, System.Func<ExtensionPlan, string> delegateTo)
    {
        switch (kind)
        {
            case Kind.Resource:
                writer.Open("if (path.SchemaUrn is not null && !" + H + "Is(path.SchemaUrn, SchemaId))");
                foreach (var extension in extensions!)
                {
                    writer.Line("if (" + H + "Is(path.SchemaUrn, " + SourceWriter.Literal(extension.Schema.Id) + ")) " + delegateTo(extension));
                }

                writer.Line("return null;");
                writer.Close();
                break;
            case Kind.Extension:
                writer.Line("if (path.SchemaUrn is not null && !" + H + "Is(path.SchemaUrn, SchemaId)) return null;");
                break;
            default:
                writer.Line("if (path.SchemaUrn is not null || path.SubAttribute is not null) return null;");
                break;
        }

        writer.Line("var name = path.Name;");
        writer.Line("var sub = path.SubAttribute;");
    }

    private static string Compose(ExtensionPlan extension, string call)
    {
        var property = extension.Object.ClassName;
        return "{ var inner = global::" + extension.Object.FullName + "Accessors." + call + "; return inner is null ? null : v => v." + property + " is { } x && inner(x); }";
    }

    private static string Find(string schemaId, string attribute, string sub) =>
        H + "Find(global::FastScim.Core.Schema.ScimSchemas.All, " + SourceWriter.Literal(schemaId) + ", " + SourceWriter.Literal(attribute) + ", " + sub + ")";

    private static string Over(MemberPlan member, string property, string inner) => member.Attribute.MultiValued
        ? "v => " + H + "Any(" + property + ", " + inner + ")"
        : "v => " + property + " is { } x && " + inner + "(x)";

    private static string PresentExpression(MemberPlan member, string property)
    {
        if (member.Complex is not null)
        {
            var accessors = "global::" + member.Complex.FullName + "Accessors";
            return member.Attribute.MultiValued
                ? H + "Any(" + property + ", static e => " + accessors + ".IsPresent(e))"
                : accessors + ".IsPresent(" + property + ")";
        }

        if (member.Attribute.MultiValued)
        {
            return IsText(member.Attribute.Type) ? H + "AnyPresentString(" + property + ")" : property + " is { Count: > 0 }";
        }

        return IsText(member.Attribute.Type) ? "!string.IsNullOrEmpty(" + property + ")" : property + ".HasValue";
    }

    private static bool IsText(AttributeType type) =>
        type is AttributeType.String or AttributeType.Reference or AttributeType.Binary;
}
