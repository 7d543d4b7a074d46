namespace FastScim.Core.Compatibility;

/// <summary>One request's compatibility profile and what its tolerance rules did.</summary>
/// <param name="strict">Refuse every <see cref="ToleranceRule"/> with the RFC's error.</param>
/// <param name="fired">Told once per rule and request when a rule is first applied (lenient only); a subclass may override <see cref="OnFired"/> instead.</param>
public class ToleranceContext(bool strict, Action<ToleranceRule>? fired = null)
{
    private int _used;

    public bool Strict { get; } = strict;

    /// <summary>The rules applied so far in this request.</summary>
    public ToleranceRule Used => (ToleranceRule)Volatile.Read(ref _used);

    internal void Use(ToleranceRule rules)
    {
        if (Strict)
        {
            throw ToleranceRules.StrictError(Lowest(rules));
        }

        // A Bulk request's operations run concurrently under one context.
        var before = (ToleranceRule)Interlocked.Or(ref _used, (int)rules);
        var fresh = rules & ~before;
        if (fresh == ToleranceRule.None)
        {
            return;
        }

        foreach (var rule in ToleranceRules.All)
        {
            if ((fresh & rule) != 0)
            {
                OnFired(rule);
            }
        }
    }

    /// <summary>A rule was applied for the first time in this request (lenient profile).</summary>
    protected virtual void OnFired(ToleranceRule rule) => fired?.Invoke(rule);

    private static ToleranceRule Lowest(ToleranceRule rules) => (ToleranceRule)((int)rules & -(int)rules);
}
