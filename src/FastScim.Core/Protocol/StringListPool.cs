namespace FastScim.Core.Protocol;

/// <summary>
/// One list of strings a thread, for a synchronous piece of work that collects a few strings from
/// a body and is done with them before it returns (the "schemas" a resource body declares, a
/// stored resource's index keys): a new list for every request was bytes of every write (issue 7).
/// </summary>
/// <remarks>
/// <see cref="Rent"/> takes the list out of the thread's slot, so work nested in work gets a list
/// of its own; <see cref="Return"/> empties it, so it holds no string past the work, and keeps it
/// only while it is small: a body of 1 MiB may list hundreds of thousands of strings, and a thread
/// would otherwise keep a list that size for ever.
/// </remarks>
public static class StringListPool
{
    /// <summary>The most a kept list may hold: a resource declares a few schemas and has a few keys per index.</summary>
    public const int KeptCapacity = 16;

    [ThreadStatic]
    private static List<string>? t_list;

    /// <summary>An empty list, the thread's own when it has one.</summary>
    public static List<string> Rent()
    {
        List<string> list = t_list ?? new List<string>(4);
        t_list = null;
        return list;
    }

    /// <summary>Gives back a list <see cref="Rent"/> answered; it must not be used afterwards.</summary>
    public static void Return(List<string> list)
    {
        ArgumentNullException.ThrowIfNull(list);
        list.Clear();
        if (list.Capacity <= KeptCapacity)
        {
            t_list = list;
        }
    }
}
