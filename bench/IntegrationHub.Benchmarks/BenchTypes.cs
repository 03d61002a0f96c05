using MassTransit;

namespace IntegrationHub.Benchmarks;

public sealed record BenchMessage(string Payload);

public sealed class BenchCounter(int expected)
{
    private int _received;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Done => _done.Task;

    public void Count()
    {
        if (Interlocked.Increment(ref _received) == expected)
        {
            _done.TrySetResult();
        }
    }
}

public sealed class BenchConsumer(BenchCounter counter) : IConsumer<BenchMessage>
{
    public Task Consume(ConsumeContext<BenchMessage> context)
    {
        counter.Count();
        return Task.CompletedTask;
    }
}
