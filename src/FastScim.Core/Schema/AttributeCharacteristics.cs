// Shared by FastScim.Core and, as a linked source file, by the source generator
// (which must not reference a runtime assembly). Keep it netstandard2.0-compatible.
namespace FastScim.Core.Schema;

/// <summary>Attribute data types, RFC 7643 §2.3.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The members are the RFC 7643 §2.3 data type names.")]
public enum AttributeType
{
    String,
    Boolean,
    Decimal,
    Integer,
    DateTime,
    Binary,
    Reference,
    Complex,
}

/// <summary>RFC 7643 §7 "mutability".</summary>
public enum Mutability
{
    ReadWrite,
    ReadOnly,
    Immutable,
    WriteOnly,
}

/// <summary>RFC 7643 §7 "returned".</summary>
public enum Returned
{
    Default,
    Always,
    Never,
    Request,
}

/// <summary>RFC 7643 §7 "uniqueness".</summary>
public enum Uniqueness
{
    None,
    Server,
    Global,
}
