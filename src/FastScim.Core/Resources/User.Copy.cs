namespace FastScim.Core.Resources;

/// <summary>Hand-written half of the generated <see cref="User"/>.</summary>
public sealed partial class User
{
    /// <summary>
    /// A shallow copy with its own <see cref="ResourceMeta"/>: the store hands one out per read, so a
    /// caller that sets properties (or meta.location) never changes what the next reader sees.
    /// Lists and complex values are shared; callers replace them, they do not mutate them.
    /// </summary>
    public User Copy()
    {
        var copy = (User)MemberwiseClone();
        copy.Meta = ResourceMeta.CopyOf(Meta);
        return copy;
    }
}
