using FastScim.Generators.Model;
using Microsoft.CodeAnalysis;

namespace FastScim.Generators.Emitting;

/// <summary>Emits the resource, extension and complex classes (partial, so hand-written halves can add behaviour).</summary>
internal static class ResourceEmitter
{
    public static void Emit(SourceProductionContext context, GenerationPlan plan)
    {
        foreach (var resource in plan.Resources)
        {
            var writer = new SourceWriter().Header(Names.ResourcesNamespace);
            writer.Line("/// <summary>" + Xml(resource.ResourceType.Description.Length > 0 ? resource.ResourceType.Description : resource.ResourceType.Name) + " (schema <c>" + Xml(resource.Schema.Id) + "</c>).</summary>");
            writer.Line(SourceWriter.GeneratedCodeAttribute);
            writer.Open("public sealed partial class " + resource.Object.ClassName + " : global::FastScim.Core.Resources.IScimResource");
            writer.Line("/// <summary>The resource's unique, server-assigned identifier (RFC 7643 §3.1).</summary>");
            writer.Line("public string? Id { get; set; }");
            writer.Line();
            writer.Line("/// <summary>An identifier defined by the provisioning client (RFC 7643 §3.1).</summary>");
            writer.Line("public string? ExternalId { get; set; }");
            writer.Line();
            writer.Line("/// <summary>Resource metadata (RFC 7643 §3.1).</summary>");
            writer.Line("public global::FastScim.Core.Resources.ResourceMeta? Meta { get; set; }");
            WriteMembers(writer, resource.Object);
            foreach (var extension in resource.Extensions)
            {
                writer.Line();
                writer.Line("/// <summary>The <c>" + Xml(extension.Schema.Id) + "</c> extension, or null when absent.</summary>");
                writer.Line("public global::" + extension.Object.FullName + "? " + extension.Object.ClassName + " { get; set; }");
            }

            writer.Close();
            context.AddSource(resource.Object.ClassName + ".g.cs", writer.ToSourceText());
        }

        foreach (var extension in plan.Extensions)
        {
            var writer = new SourceWriter().Header(Names.ResourcesNamespace);
            writer.Line("/// <summary>" + Xml(extension.Schema.Description.Length > 0 ? extension.Schema.Description : extension.Schema.Name) + " (schema <c>" + Xml(extension.Schema.Id) + "</c>).</summary>");
            writer.Line(SourceWriter.GeneratedCodeAttribute);
            writer.Open("public sealed partial class " + extension.Object.ClassName);
            WriteMembers(writer, extension.Object, first: true);
            writer.Close();
            context.AddSource(extension.Object.ClassName + ".g.cs", writer.ToSourceText());
        }

        foreach (var (complex, owner) in plan.ComplexTypes)
        {
            var writer = new SourceWriter().Header(Names.ResourcesNamespace);
            writer.Line("/// <summary>A value of <c>" + Xml(complex.PathPrefix.TrimEnd('.')) + "</c> of <see cref=\"" + owner + "\"/>.</summary>");
            writer.Line(SourceWriter.GeneratedCodeAttribute);
            writer.Open("public sealed partial class " + complex.ClassName);
            WriteMembers(writer, complex, first: true);
            writer.Close();
            context.AddSource(complex.ClassName + ".g.cs", writer.ToSourceText());
        }
    }

    private static void WriteMembers(SourceWriter writer, ObjectPlan obj, bool first = false)
    {
        foreach (var member in obj.Members)
        {
            if (!first)
            {
                writer.Line();
            }

            first = false;
            var description = member.Attribute.Description.Length > 0 ? member.Attribute.Description : member.Attribute.Name;
            writer.Line("/// <summary>" + Xml(description) + "</summary>");
            writer.Line("/// <remarks>SCIM attribute <c>" + Xml(member.Attribute.Name) + "</c>: " + member.Attribute.Type
                + (member.Attribute.MultiValued ? ", multi-valued" : string.Empty)
                + ", mutability " + member.Attribute.Mutability + ", returned " + member.Attribute.Returned + ".</remarks>");
            writer.Line("public " + member.PropertyType + " " + member.PropertyName + " { get; set; }");
        }
    }

    internal static string Xml(string text) => text
        .Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;")
        .Replace("\r", " ").Replace("\n", " ");
}
