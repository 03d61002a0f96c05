using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Platform;
using MassTransit.Serialization;
using RabbitMQ.Client;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// Captures as a company system publishes them (raw AMQP, plain JSON, docs/amqp-interface.md). The
/// capture time is the moment of publishing, so that a consumer of a company queue reads from the
/// delivery how long the capture took to get there.
/// </summary>
public static class Captures
{
    public const string Dealer = "PZ-HAMBURG";

    /// <summary>A workshop visit captured by PD: the policy copies it to OP-NORD (the Zentrum's operator) and PAG.</summary>
    public static readonly string[] WorkshopRecipients = ["OP-NORD", "PAG"];

    public static CustomerDataCaptured Workshop(Guid customerId) => new()
    {
        CaptureId = Guid.NewGuid(), CustomerId = customerId, SourceCompany = "PD", DealerId = Dealer, Context = CaptureContext.Workshop,
        Purpose = Purpose.JointCare, CapturedAt = DateTimeOffset.UtcNow,
        Data = new CategoryData
        {
            [DataCategory.ContactIdentification] = new() { ["familyName"] = "Bench", ["note"] = new string('x', 600) },
            [DataCategory.VehicleHistory] = new() { ["service"] = "annual inspection" },
        },
    };

    /// <summary>
    /// A financing contract: the policy copies it to the Zentrum's operator, PAG and PFS, and to PD too when
    /// another company (PSM) captured it, so the customer is held by 3 or 4 companies.
    /// </summary>
    public static CustomerDataCaptured Financing(Guid customerId, string sender) => new()
    {
        CaptureId = Guid.NewGuid(), CustomerId = customerId, SourceCompany = sender, DealerId = Dealer, Context = CaptureContext.VehicleContract,
        ContractKind = ContractKind.Financing, Purpose = Purpose.JointCare, CapturedAt = DateTimeOffset.UtcNow,
        Data = new CategoryData
        {
            [DataCategory.ContactIdentification] = new() { ["familyName"] = "Bench", ["email"] = "bench@example.invalid" },
            [DataCategory.Contract] = new() { ["contract"] = "F-1" },
            [DataCategory.VehicleUsage] = new() { ["mileage"] = "12000" },
            [DataCategory.CreditBank] = new() { ["iban"] = "DE00 0000 0000 0000 0000 00" },
        },
    };

    public static byte[] Body<T>(T message) => JsonSerializer.SerializeToUtf8Bytes(message, SystemTextJsonMessageSerializer.Options);
}

/// <summary>One company's publishing channel (publisher confirms) to the inbound exchanges.</summary>
public sealed class CompanyPublisher : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly string _user;

    private CompanyPublisher(IConnection connection, IChannel channel, string user)
    {
        _connection = connection;
        _channel = channel;
        _user = user;
    }

    public static async Task<CompanyPublisher> Open(string company)
    {
        var user = BrokerNames.CompanyUser(company);
        var connection = await Broker.Factory(user).CreateConnectionAsync();
        return new CompanyPublisher(connection, await Broker.ConfirmingChannel(connection), user);
    }

    /// <summary>Publishes to the message's inbound exchange; the task completes when the broker confirmed it.</summary>
    public Task Publish<T>(string exchange, T message)
    {
        var properties = new BasicProperties
        {
            ContentType = "application/json", DeliveryMode = DeliveryModes.Persistent, UserId = _user, MessageId = Guid.NewGuid().ToString(),
            Headers = new Dictionary<string, object?> { [BrokerNames.MessageTypeHeader] = BrokerNames.MessageUrn<T>() },
        };
        return _channel.BasicPublishAsync(exchange, "", mandatory: false, properties, Captures.Body(message)).AsTask();
    }

    public Task Capture(CustomerDataCaptured capture) => Publish("inbound.customer-data-captured", capture);

    /// <summary>Publishes many, at most 100 unconfirmed at a time, and waits for every confirm.</summary>
    public async Task PublishAll<T>(IEnumerable<T> messages, Func<T, Task> publish, CancellationToken cancellationToken)
    {
        foreach (var chunk in messages.Chunk(100))
        {
            await Task.WhenAll(chunk.Select(publish)).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
