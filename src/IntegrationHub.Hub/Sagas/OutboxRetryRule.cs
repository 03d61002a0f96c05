using IntegrationHub.Hub.Persistence;

namespace IntegrationHub.Hub.Sagas;

/// <summary>
/// What becomes of an outbox row whose send failed: it waits longer after each failure and is parked
/// after <see cref="HubOptions.OutboxMaxAttempts"/>, so a fault that does not heal stops costing sends
/// and shows up in `hub outbox` instead.
/// </summary>
public sealed class OutboxRetryRule(HubOptions options)
{
    // However many failures: a broker that is back should not wait long for the hub's messages.
    private static readonly TimeSpan LongestDelay = TimeSpan.FromMinutes(5);

    // Broker messages can be long (a whole channel shutdown reason); the column is for a human to read.
    private const int ReasonLength = 500;

    public void Failed(OutboxRow row, string reason, DateTimeOffset now)
    {
        row.Attempts++;
        row.LastError = Shorten(reason);
        if (row.Attempts >= options.OutboxMaxAttempts)
        {
            row.ParkedAt = now;
            return;
        }

        row.NextAttemptAt = now + Delay(row.Attempts);
    }

    /// <summary>For a row no retry can fix (its type is unknown here, its body unreadable): parked at once.</summary>
    public static void Hopeless(OutboxRow row, string reason, DateTimeOffset now)
    {
        row.Attempts++;
        row.LastError = Shorten(reason);
        row.ParkedAt = now;
    }

    /// <summary>An operator's release: the row is due at once, with a full set of attempts; the last error stays for reference.</summary>
    public static void Release(OutboxRow row)
    {
        row.ParkedAt = null;
        row.NextAttemptAt = null;
        row.Attempts = 0;
    }

    private TimeSpan Delay(int attempts)
    {
        var longest = Math.Max(LongestDelay.Ticks, options.OutboxFirstRetryDelay.Ticks);
        var doubled = options.OutboxFirstRetryDelay.Ticks * Math.Pow(2, attempts - 1);
        return TimeSpan.FromTicks((long)Math.Min(doubled, longest));
    }

    private static string Shorten(string reason) => reason.Length <= ReasonLength ? reason : reason[..ReasonLength];
}
