namespace FastScim.Core.Resources;

/// <summary>
/// A change to a group's members, applied by the store member by member (RFC 7644 §3.5.2 on
/// "members"): removing or adding one member of a large group touches that member alone, never
/// the whole list. <see cref="ReplaceAll"/> stands for PUT and <c>replace members</c>.
/// Order: with <see cref="ReplaceAll"/> the members become exactly <see cref="Add"/>; otherwise
/// <see cref="Remove"/> is applied first, then <see cref="Add"/> (duplicates are ignored).
/// </summary>
public sealed class MembershipChange
{
    public bool ReplaceAll { get; init; }

    public IReadOnlyList<Member> Add { get; init; } = [];

    /// <summary>Member ids (<c>value</c>) to remove.</summary>
    public IReadOnlyList<string> Remove { get; init; } = [];

    public bool IsEmpty => !ReplaceAll && Add.Count == 0 && Remove.Count == 0;

    public static MembershipChange ReplaceWith(IReadOnlyList<Member>? members) => new() { ReplaceAll = true, Add = members ?? [] };
}
