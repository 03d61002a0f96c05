namespace IntegrationHub.IntegrationTests;

/// <summary>Waits for something that happens elsewhere (the hub, a worker, the broker) to become true, with a bounded wait.</summary>
public static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done, string what, int seconds = 45)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not within {seconds} s: {what}");
            }

            await Task.Delay(100);
        }
    }

    public static Task Until(Func<Task<bool>> condition, string what, int seconds = 30) =>
        Until(condition, holds => holds, what, seconds);
}
