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

            WriteDeepCopy(writer, resource.Object, resource.Extensions);
            WriteRemoveUnassigned(writer, resource.Object, resource.Extensions);
            WriteHasUnassigned(writer, resource.Object, resource.Extensions);
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
            WriteDeepCopy(writer, extension.Object, extensions: null);
            WriteRemoveUnassigned(writer, extension.Object, extensions: null);
            WriteHasUnassigned(writer, extension.Object, extensions: null);
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
            WriteDeepCopy(writer, complex, extensions: null);
            WriteRemoveUnassigned(writer, complex, extensions: null);
            WriteHasUnassigned(writer, complex, extensions: null);
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

    /// <summary>
    /// <c>DeepCopy()</c>: a copy that shares no list or object with this one (every value it holds is
    /// a string or a value type), for a change that may alter what it is given — the store gives an
    /// update one of the committed resource (IResourceCollection.UpdateAsync).
    /// </summary>
    private static void WriteDeepCopy(SourceWriter writer, ObjectPlan obj, System.Collections.Generic.List<ExtensionPlan>? extensions)
    {
        var type = "global::" + obj.FullName;
        writer.Line();
        writer.Line("/// <summary>A copy sharing no list or object with this one (strings and values are immutable).</summary>");
        writer.Open("public " + type + " DeepCopy()");
        writer.Line("var copy = (" + type + ")MemberwiseClone();");
        if (extensions is not null)
        {
            writer.Line("copy.Meta = global::FastScim.Core.Resources.ResourceMeta.CopyOf(Meta);");
        }

        foreach (var member in obj.Members)
        {
            if (member.Attribute.MultiValued)
            {
                writer.Open("if (" + member.PropertyName + " is { } " + Names.Camel(member.PropertyName) + "Values)");
                if (member.Complex is null)
                {
                    writer.Line("copy." + member.PropertyName + " = new global::System.Collections.Generic.List<" + member.ElementType + ">(" + Names.Camel(member.PropertyName) + "Values);");
                }
                else
                {
                    writer.Line("var list = new global::System.Collections.Generic.List<" + member.ElementType + ">(" + Names.Camel(member.PropertyName) + "Values.Count);");
                    writer.Open("foreach (var item in " + Names.Camel(member.PropertyName) + "Values)");
                    writer.Line("list.Add(item?.DeepCopy()!);");
                    writer.Close();
                    writer.Line("copy." + member.PropertyName + " = list;");
                }

                writer.Close();
            }
            else if (member.Complex is not null)
            {
                writer.Line("copy." + member.PropertyName + " = " + member.PropertyName + "?.DeepCopy();");
            }
        }

        foreach (var extension in extensions ?? [])
        {
            writer.Line("copy." + extension.Object.ClassName + " = " + extension.Object.ClassName + "?.DeepCopy();");
        }

        writer.Line("return copy;");
        writer.Close();
    }

    /// <summary>
    /// <c>RemoveUnassigned()</c>: leaves, of the attributes a client writes, what writing the object
    /// as JSON and reading it back would leave, once empty objects and arrays are dropped (RFC 7643
    /// §2.5: unassigned); id, meta and <c>returned: never</c> members stay. A PATCH
    /// applied to the typed resource (SimplePatch) ends with it, so that it keeps what a PATCH through
    /// the JSON engine keeps. Nested values are cleaned first; an object is empty when every member
    /// the writer writes (all but <c>returned: never</c>) is null; then the members the reader drops
    /// (<c>readOnly</c>) are cleared. Returns whether the object was empty, so its owner drops it.
    /// </summary>
    private static void WriteRemoveUnassigned(SourceWriter writer, ObjectPlan obj, System.Collections.Generic.List<ExtensionPlan>? extensions)
    {
        writer.Line();
        writer.Line("/// <summary>Leaves, of what a client writes, what writing this as JSON, dropping empty objects and arrays, and reading it back would leave (id, meta and never-returned members stay); true when nothing written remained.</summary>");
        writer.Open("public bool RemoveUnassigned()");
        foreach (var member in obj.Members)
        {
            var local = Names.Camel(member.PropertyName) + "Value";
            if (member.Attribute.MultiValued)
            {
                writer.Open("if (" + member.PropertyName + " is { } " + local + ")");
                if (member.Complex is not null)
                {
                    writer.Line(local + ".RemoveAll(static item => item is null || item.RemoveUnassigned());");
                }

                writer.Open("if (" + local + ".Count == 0)");
                writer.Line(member.PropertyName + " = null;");
                writer.Close();
                writer.Close();
            }
            else if (member.Complex is not null)
            {
                writer.Open("if (" + member.PropertyName + " is { } " + local + " && " + local + ".RemoveUnassigned())");
                writer.Line(member.PropertyName + " = null;");
                writer.Close();
            }
        }

        foreach (var extension in extensions ?? [])
        {
            var local = Names.Camel(extension.Object.ClassName) + "Value";
            writer.Open("if (" + extension.Object.ClassName + " is { } " + local + " && " + local + ".RemoveUnassigned())");
            writer.Line(extension.Object.ClassName + " = null;");
            writer.Close();
        }

        var written = NothingWritten(obj, extensions);

        writer.Line("var empty = " + (written.Count == 0 ? "true" : string.Join(" && ", written)) + ";");
        foreach (var member in obj.Members)
        {
            if (member.Attribute.Mutability == FastScim.Core.Schema.Mutability.ReadOnly)
            {
                writer.Line(member.PropertyName + " = null;");
            }
        }

        writer.Line("return empty;");
        writer.Close();
    }

    /// <summary>
    /// <c>HasUnassigned()</c>: whether <c>RemoveUnassigned()</c> would find anything to do — an empty
    /// list or object, a list holding a null or an item with something to remove, a readOnly member
    /// set, or this object empty — without changing anything. A PATCH applied to a copy that shares
    /// its lists and objects with the stored version (SimplePatch) asks it first, and makes the copy
    /// its own before cleaning: cleaning in place would change the version readers hold.
    /// </summary>
    private static void WriteHasUnassigned(SourceWriter writer, ObjectPlan obj, System.Collections.Generic.List<ExtensionPlan>? extensions)
    {
        writer.Line();
        writer.Line("/// <summary>Whether <see cref=\"RemoveUnassigned\"/> would find anything to remove or clear here (or this is empty); changes nothing.</summary>");
        writer.Open("public bool HasUnassigned()");
        foreach (var member in obj.Members)
        {
            var local = Names.Camel(member.PropertyName) + "Value";
            if (member.Attribute.MultiValued)
            {
                var items = member.Complex is null ? "" : " || " + local + ".Exists(static item => item is null || item.HasUnassigned())";
                writer.Open("if (" + member.PropertyName + " is { } " + local + " && (" + local + ".Count == 0" + items + "))");
                writer.Line("return true;");
                writer.Close();
            }
            else if (member.Complex is not null)
            {
                writer.Open("if (" + member.PropertyName + " is { } " + local + " && " + local + ".HasUnassigned())");
                writer.Line("return true;");
                writer.Close();
            }
        }

        foreach (var extension in extensions ?? [])
        {
            var local = Names.Camel(extension.Object.ClassName) + "Value";
            writer.Open("if (" + extension.Object.ClassName + " is { } " + local + " && " + local + ".HasUnassigned())");
            writer.Line("return true;");
            writer.Close();
        }

        var checks = new System.Collections.Generic.List<string>();
        foreach (var member in obj.Members)
        {
            if (member.Attribute.Mutability == FastScim.Core.Schema.Mutability.ReadOnly)
            {
                checks.Add(member.PropertyName + " is not null");
            }
        }

        var written = NothingWritten(obj, extensions);

        checks.Add(written.Count == 0 ? "true" : "(" + string.Join(" && ", written) + ")");
        writer.Line("return " + string.Join(" || ", checks) + ";");
        writer.Close();
    }

    /// <summary>The conditions under which an object is empty: every member its writer writes (all but <c>returned: never</c>) and every extension null.</summary>
    private static System.Collections.Generic.List<string> NothingWritten(ObjectPlan obj, System.Collections.Generic.List<ExtensionPlan>? extensions)
    {
        var written = new System.Collections.Generic.List<string>();
        foreach (var member in obj.Members)
        {
            if (member.Attribute.Returned != FastScim.Core.Schema.Returned.Never)
            {
                written.Add(member.PropertyName + " is null");
            }
        }

        foreach (var extension in extensions ?? [])
        {
            written.Add(extension.Object.ClassName + " is null");
        }

        return written;
    }

    internal static string Xml(string text) => text
        .Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;")
        .Replace("\r", " ").Replace("\n", " ");
}
