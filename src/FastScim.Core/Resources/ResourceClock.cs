namespace FastScim.Core.Resources;

/// <summary>The time stamps written into meta.created and meta.lastModified (RFC 7643 §3.1).</summary>
public static class ResourceClock
{
    /// <summary>Now, in UTC, to the millisecond: what BSON keeps, so a re-read returns exactly what was answered.</summary>
    public static DateTimeOffset Now()
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }
}
