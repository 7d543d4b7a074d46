namespace FastScim.Core.Filtering;

/// <summary>
/// A test of one attribute value, handed to the generated <c>…Accessors.Match</c>: the accessor
/// reads the typed value straight from the property (no boxing, no reflection) and calls the
/// overload of its CLR type. An overload that is not overridden matches nothing, so a test built
/// for one attribute type never matches a value of another. An unassigned value arrives as null
/// (an empty string too, RFC 7643 §2.5 treats "" like unassigned for filtering here).
/// </summary>
public abstract class ValueTest
{
    public virtual bool Test(string? value) => false;

    public virtual bool Test(bool? value) => false;

    public virtual bool Test(long? value) => false;

    public virtual bool Test(decimal? value) => false;

    public virtual bool Test(DateTimeOffset? value) => false;
}
