using System.Collections.Generic;
using Microsoft.CodeAnalysis.Text;

namespace FastScim.Generators.Parsing;

internal enum JsonKind
{
    Object,
    Array,
    String,
    Number,
    True,
    False,
    Null,
}

/// <summary>
/// A parsed JSON value that remembers where it was written. Lives only inside one parse call:
/// never part of the pipeline model.
/// </summary>
internal sealed class JsonNode
{
    public JsonNode(JsonKind kind, TextSpan span)
    {
        Kind = kind;
        Span = span;
    }

    public JsonKind Kind { get; }

    public TextSpan Span { get; set; }

    /// <summary>The unescaped text of a string, or the raw text of a number.</summary>
    public string? Text { get; set; }

    public List<JsonProperty>? Properties { get; set; }

    public List<JsonNode>? Items { get; set; }

    public JsonProperty? Find(string name)
    {
        if (Properties is null)
        {
            return null;
        }

        foreach (var property in Properties)
        {
            if (property.Name == name)
            {
                return property;
            }
        }

        return null;
    }
}

internal sealed class JsonProperty
{
    public JsonProperty(string name, TextSpan nameSpan, JsonNode value)
    {
        Name = name;
        NameSpan = nameSpan;
        Value = value;
    }

    public string Name { get; }

    public TextSpan NameSpan { get; }

    public JsonNode Value { get; }
}
