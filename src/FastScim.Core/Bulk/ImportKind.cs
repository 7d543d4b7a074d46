namespace FastScim.Core.Bulk;

/// <summary>The resource types <c>fastscim import</c> creates, in the order it creates them.</summary>
public enum ImportKind
{
    /// <summary>Neither a User nor a Group: not imported, reported as skipped.</summary>
    Unknown = 0,
    User,
    Group,
}
