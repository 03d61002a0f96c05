using System.Collections.Concurrent;
using IntegrationHub.Contracts;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Workers.Tests;

/// <summary>Logs outlive an erasure: a worker names a customer in them by the keyed hash only, never by the id.</summary>
public sealed class When_a_worker_writes_its_log
{
    [Fact]
    public async Task Should_name_the_customer_by_the_keyed_hash_only()
    {
        var logs = new CapturedLogs();
        await using var worker = await WorkerHarness.Start("OP-SUED", logs: logs);
        var customer = Guid.NewGuid();

        await worker.Deliver(customer, CaptureContext.Workshop, Purpose.JointCare, DataCategory.ContactIdentification);

        Assert.Contains(logs.Lines, line => line.Contains(worker.Worker.CustomerHash(customer)[..12]));
        Assert.DoesNotContain(logs.Lines, line => line.Contains(customer.ToString(), StringComparison.OrdinalIgnoreCase)
            || line.Contains(customer.ToString("N"), StringComparison.OrdinalIgnoreCase));
    }

    private sealed class CapturedLogs : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(Lines);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception) + (exception is null ? "" : " " + exception));
        }
    }
}
