namespace FastScim.Storage.LiteDb;

/// <summary>The time stamps the store writes into meta.lastModified.</summary>
internal static class Clock
{
    /// <summary>Now, in UTC, to the millisecond: what BSON keeps, so a re-read returns exactly what was answered.</summary>
    public static DateTimeOffset Now()
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }
}
