namespace IntegrationHub.Platform;

/// <summary>How long a process waits before it tries an unreachable broker again: 2 s, doubling up to half a minute.</summary>
public static class ReconnectBackoff
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(30);

    /// <summary>The wait after <paramref name="wait"/>, when the broker stayed away.</summary>
    public static TimeSpan After(TimeSpan wait) => TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, Longest.Ticks));
}
