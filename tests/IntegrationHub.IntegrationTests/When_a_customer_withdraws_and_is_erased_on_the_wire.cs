using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Platform;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// Consent, a capture, a withdrawal and an erasure, end to end through the hub on the real broker:
/// each company reads its commands from its own queue and answers on the wire with its own login.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class When_a_customer_withdraws_and_is_erased_on_the_wire(HubProcess hub) : IAsyncLifetime
{
    private static readonly string[] ProfileHolders = ["op-nord", "pag", "pfs", "pfskg", "psm"];
    private readonly Guid _customer = Guid.NewGuid();
    private IConnection _hubConnection = null!;
    private IChannel _hubChannel = null!;
    private string _events = null!;

    public async Task InitializeAsync()
    {
        _hubConnection = await Broker.Connect("hub");
        _hubChannel = await Broker.Channel(_hubConnection);
        foreach (var company in ProfileHolders.Append("pd").Append("op-sued"))
        {
            await _hubChannel.QueuePurgeAsync("company." + company);
        }

        // A private queue on the hub's completion events, declared with the hub's own rights.
        _events = $"hub.test-events-{Guid.NewGuid():N}";
        await _hubChannel.QueueDeclareAsync(_events, durable: false, exclusive: true, autoDelete: true);
        foreach (var exchange in new[] { "hub.events.consent-withdrawal-completed", "hub.events.erasure-completed" })
        {
            await _hubChannel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
            await _hubChannel.QueueBindAsync(_events, exchange, "");
        }
    }

    public async Task DisposeAsync()
    {
        await _hubChannel.DisposeAsync();
        await _hubConnection.DisposeAsync();
    }

    [Fact]
    public async Task Should_reach_every_holder_and_end_with_a_tombstone()
    {
        var consent = Guid.NewGuid();
        await Broker.PublishAs("op-nord", "inbound.consent-given", new ConsentGiven
        {
            ConsentId = consent, CustomerId = _customer, Channel = ConsentChannel.Dealer, WordingVersion = "2026-03",
            CapturedBy = "OP-NORD", GivenAt = DateTimeOffset.UtcNow,
        });

        // Messages of one customer may be handled in any order; the profile must come after the consent.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var look = hub.Services.CreateAsyncScope();
            if (await look.ServiceProvider.GetRequiredService<HubDbContext>().Audit.AnyAsync(a => a.MessageId == consent))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "consent not recorded within 30 s");
            await Task.Delay(50);
        }

        var capture = new CustomerDataCaptured
        {
            CaptureId = Guid.NewGuid(), CustomerId = _customer, SourceCompany = "PD", DealerId = "PZ-HAMBURG",
            Context = CaptureContext.Events, Purpose = Purpose.IndividualCare, CapturedAt = DateTimeOffset.UtcNow,
            Data = new CategoryData { [DataCategory.InterestProfile] = new() { ["affinity"] = "motorsport" } },
        };
        await Broker.PublishAs("pd", "inbound.customer-data-captured", capture);

        foreach (var company in ProfileHolders)
        {
            var delivery = await Receive<DeliverCustomerData>(company);
            Assert.Equal([DataCategory.InterestProfile], delivery.Data.Keys);
        }

        // Withdrawal at PD, the central contact.
        var withdrawal = Guid.NewGuid();
        await Broker.PublishAs("pd", "inbound.consent-withdrawn", new ConsentWithdrawn
        {
            ConsentId = withdrawal, CustomerId = _customer, Channel = ConsentChannel.Phone, CapturedBy = "PD", WithdrawnAt = DateTimeOffset.UtcNow,
        });
        foreach (var company in ProfileHolders)
        {
            var command = await Receive<DeleteConsentBasedData>(company);
            Assert.Equal(withdrawal, command.RequestId);
            await Broker.PublishAs(company, "inbound.consent-based-data-deleted", new ConsentBasedDataDeleted
            {
                CommandId = command.CommandId, RequestId = withdrawal, CustomerId = _customer, Company = command.Recipient,
                Receipt = Receipt(OutcomeKind.Erased, DataCategory.InterestProfile),
            });
        }

        var withdrawn = await NextEvent<ConsentWithdrawalCompleted>();
        Assert.Equal(ProfileHolders.Select(c => c.ToUpperInvariant()).Order(), withdrawn.AcknowledgedBy.Order());

        // Erasure: by now the holders hold nothing consent-based, so a workshop visit gives them something to erase.
        await Broker.PublishAs("pd", "inbound.customer-data-captured", capture with
        {
            CaptureId = Guid.NewGuid(), Context = CaptureContext.Workshop, Purpose = Purpose.JointCare,
            Data = new CategoryData { [DataCategory.ContactIdentification] = new() { ["familyName"] = "Beispiel" } },
        });
        await Receive<DeliverCustomerData>("op-nord");
        await Receive<DeliverCustomerData>("pag");

        var erasure = Guid.NewGuid();
        await Broker.PublishAs("pd", "inbound.erasure-requested", new ErasureRequested { RequestId = erasure, CustomerId = _customer, ReceivedBy = "PD", ReceivedAt = DateTimeOffset.UtcNow });
        foreach (var company in new[] { "op-nord", "pag" })
        {
            var command = await Receive<EraseCustomerData>(company);
            Assert.Equal([DataCategory.ContactIdentification], command.Categories);
            await Broker.PublishAs(company, "inbound.customer-data-erased", new CustomerDataErased
            {
                CommandId = command.CommandId, RequestId = erasure, CustomerId = _customer, Company = command.Recipient,
                Receipt = Receipt(OutcomeKind.Erased, DataCategory.ContactIdentification),
            });
        }

        var erased = await NextEvent<ErasureCompleted>();
        Assert.Equal(["OP-NORD", "PAG"], erased.AcknowledgedBy.Order());
        await using var scope = hub.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        Assert.False(await db.Sagas.AnyAsync(s => s.CorrelationId == _customer));
        Assert.True(await db.Tombstones.AnyAsync(t => t.ErasureRequestId == erasure));
        Assert.False(await db.Audit.AnyAsync(a => a.CustomerId == _customer));
    }

    private static ActionReceipt Receipt(OutcomeKind outcome, DataCategory category) => new()
    {
        Outcomes = [new CategoryOutcome { Category = category, Outcome = outcome, RecordCount = 1 }],
        Digest = "sha256:" + Guid.NewGuid().ToString("N"),
        CompletedAt = DateTimeOffset.UtcNow,
    };


    /// <summary>The next message of type T in the company's own queue, read with the company's own login.</summary>
    private static async Task<T> Receive<T>(string company) where T : class
    {
        await using var connection = await Broker.Connect(company);
        await using var channel = await Broker.Channel(connection);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await channel.BasicGetAsync("company." + company, autoAck: true) is { } message)
            {
                Assert.Equal(BrokerNames.MessageUrn<T>(), Broker.Header(message, BrokerNames.MessageTypeHeader));
                return JsonSerializer.Deserialize<T>(message.Body.Span, SystemTextJsonMessageSerializer.Options)!;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"no {typeof(T).Name} in company.{company} within 30 s");
    }

    private async Task<T> NextEvent<T>() where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await _hubChannel.BasicGetAsync(_events, autoAck: true) is { } message &&
                Broker.Header(message, BrokerNames.MessageTypeHeader) == BrokerNames.MessageUrn<T>())
            {
                return JsonSerializer.Deserialize<T>(message.Body.Span, SystemTextJsonMessageSerializer.Options)!;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"no {typeof(T).Name} published within 30 s");
    }
}
