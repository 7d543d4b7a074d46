namespace FastScim.Storage.Planning;

/// <summary>Where an <see cref="IndexSeek"/> looks its key up.</summary>
public enum SeekTarget
{
    /// <summary>The resource's <c>_id</c> (the primary key).</summary>
    Id,

    /// <summary>An index on <see cref="IndexSeek.Expression"/> in the resource's own collection.</summary>
    Collection,

    /// <summary>
    /// The collection's unique index on <see cref="IndexSeek.Expression"/> (RFC 7643 §2.1
    /// "uniqueness": lower-cased keys compared ignoring case), which the resource type's codec
    /// keeps anyway: a seek through it spares the collection a second index of the same attribute.
    /// </summary>
    Unique,

    /// <summary>An index on <see cref="IndexSeek.Expression"/> in the memberships collection; it yields group ids.</summary>
    Memberships,
}

/// <summary>
/// One index lookup of a <see cref="QueryPlan"/>: the resources whose <see cref="Expression"/>
/// equals <see cref="Key"/>. <see cref="Key"/> is already normalised as the index stores it
/// (upper-cased for an attribute that is not caseExact; lower-cased for a <see cref="SeekTarget.Unique"/>
/// index, which compares ignoring case), so a seek finds every resource the filter's equality can
/// accept, and possibly more; the compiled filter decides.
/// </summary>
/// <param name="Attribute">The attribute path the filter named, canonical (<c>userName</c>, <c>emails.value</c>).</param>
public sealed record IndexSeek(string Attribute, SeekTarget Target, string Expression, string Key);
