namespace FastScim.Storage;

/// <summary>
/// An index a collection needs, emitted by the generator for each attribute whose schema
/// "uniqueness" is server or global (RFC 7643 §7). <paramref name="Expression"/> is a LiteDB
/// BsonExpression, lower-cased when the attribute is not caseExact.
/// </summary>
public sealed record BsonIndex(string Name, string Expression, bool Unique);
