// Shared by FastScim.Core and, as a linked source file, by the source generator
// (which must not reference a runtime assembly). Keep it netstandard2.0-compatible.
namespace FastScim.Core.Schema;

/// <summary>Attribute data types, RFC 7643 §2.3.</summary>
#pragma warning disable CA1720 // The members are RFC 7643's own type names.
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
#pragma warning restore CA1720

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
