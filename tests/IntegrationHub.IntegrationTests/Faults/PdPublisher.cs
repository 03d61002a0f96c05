using System.Collections.Concurrent;
using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Platform;
using MassTransit.Serialization;
using RabbitMQ.Client;

namespace IntegrationHub.IntegrationTests.Faults;

/// <summary>
/// PD's company system as the fault cases drive it: it publishes captures and erasure requests with
/// publisher confirms and keeps account of what the broker confirmed, which the end check holds the
/// hub and the workers to.
/// </summary>
public sealed class PdPublisher(TestBroker broker)
{
    /// <summary>Captures whose publish the broker confirmed: each must take effect exactly once.</summary>
    public ConcurrentDictionary<Guid, Guid> Confirmed { get; } = new();

    /// <summary>Captures whose publish failed or was never confirmed: each may take effect at most once.</summary>
    public ConcurrentDictionary<Guid, Guid> Unconfirmed { get; } = new();

    /// <summary>Customers of refused or forged messages: they take effect nowhere and appear in no log.</summary>
    public ConcurrentBag<Guid> Refused { get; } = [];

    /// <summary>Erasure requests whose publish was confirmed, by customer.</summary>
    public ConcurrentDictionary<Guid, Guid> Erasures { get; } = new();

    public static CustomerDataCaptured Capture(Guid customer) => new()
    {
        CaptureId = Guid.NewGuid(), CustomerId = customer, SourceCompany = "PD", DealerId = "PZ-HAMBURG", Context = CaptureContext.Workshop,
        Purpose = Purpose.JointCare, CapturedAt = DateTimeOffset.UtcNow,
        Data = new CategoryData { [DataCategory.VehicleHistory] = new() { ["service"] = "inspection" } },
    };

    /// <summary>
    /// Publishes captures of new customers as PD, about fifty a second, each confirmed or counted as
    /// unconfirmed; a publish the broker does not confirm within ten seconds fails, and the publisher
    /// reconnects and goes on, as a company system would. Each capture is published <paramref name="times"/> times.
    /// </summary>
    public async Task Stream(int count, int times = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        IConnection? connection = null;
        IChannel? channel = null;
        try
        {
            for (var i = 0; i < count; i++)
            {
                var capture = Capture(Guid.NewGuid());
                var body = JsonSerializer.SerializeToUtf8Bytes(capture, SystemTextJsonMessageSerializer.Options);
                var confirmed = false;
                for (var copy = 0; copy < times; copy++)
                {
                    try
                    {
                        if (channel is not { IsOpen: true })
                        {
                            (connection, channel) = await Reconnect(connection, deadline);
                        }

                        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                        await channel.BasicPublishAsync("inbound.customer-data-captured", "", mandatory: true,
                            IntegrationTests.Broker.Properties<CustomerDataCaptured>(capture.CaptureId, "pd"), body, patience.Token);
                        confirmed = true;
                    }
                    catch (Exception ex) when (ex is not TimeoutException)
                    {
                        channel = null;
                    }
                }

                (confirmed ? Confirmed : Unconfirmed)[capture.CaptureId] = capture.CustomerId;
                await Task.Delay(20);
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private async Task<(IConnection, IChannel)> Reconnect(IConnection? old, DateTime deadline)
    {
        if (old is not null)
        {
            try
            {
                await old.DisposeAsync();
            }
            catch (Exception)
            {
                // A connection to a broker that went away may fail to close; it is dropped either way.
            }
        }

        while (true)
        {
            try
            {
                var connection = await broker.Connect("pd");
                return (connection, await IntegrationTests.Broker.Channel(connection));
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
            catch (Exception ex)
            {
                throw new TimeoutException("the publisher could not reach the broker again within two minutes", ex);
            }
        }
    }

    /// <summary>Publishes one capture as PD and returns its customer.</summary>
    public async Task<Guid> CaptureOne()
    {
        var capture = Capture(Guid.NewGuid());
        await using var connection = await broker.Connect("pd");
        await using var channel = await IntegrationTests.Broker.Channel(connection);
        await channel.BasicPublishAsync("inbound.customer-data-captured", "", mandatory: true, IntegrationTests.Broker.Properties<CustomerDataCaptured>(capture.CaptureId, "pd"),
            JsonSerializer.SerializeToUtf8Bytes(capture, SystemTextJsonMessageSerializer.Options));
        Confirmed[capture.CaptureId] = capture.CustomerId;
        return capture.CustomerId;
    }

    /// <summary>PD asks for the erasure of these customers, once or more often with the same request.</summary>
    public async Task Erase(IEnumerable<Guid> customers, int times = 1)
    {
        await using var connection = await broker.Connect("pd");
        await using var channel = await IntegrationTests.Broker.Channel(connection);
        foreach (var customer in customers)
        {
            var request = new ErasureRequested { RequestId = Guid.NewGuid(), CustomerId = customer, ReceivedBy = "PD", ReceivedAt = DateTimeOffset.UtcNow };
            var body = JsonSerializer.SerializeToUtf8Bytes(request, SystemTextJsonMessageSerializer.Options);
            for (var copy = 0; copy < times; copy++)
            {
                await channel.BasicPublishAsync("inbound.erasure-requested", "", mandatory: true, IntegrationTests.Broker.Properties<ErasureRequested>(request.RequestId, "pd"), body);
            }

            Erasures[customer] = request.RequestId;
        }
    }
}
