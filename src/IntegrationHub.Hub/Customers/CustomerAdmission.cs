using IntegrationHub.Contracts;
using IntegrationHub.Hub.Messages;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.Sagas;
using IntegrationHub.Platform;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub.Customers;

/// <summary>
/// Keeps erased customers erased (Art. 17 GDPR): a message for a customer with a tombstone never
/// reaches the customer's saga, so it neither routes anything nor recreates the customer. What still
/// needs an answer gets one: a request is answered as "customer already erased", a takeover counts the
/// customer as erased; anything else is counted on the tombstone, which operations can see.
/// </summary>
public sealed class CustomerAdmission<T>(HubDbContext db, HubOutbox outbox, CustomerHashing hashing, TimeProvider clock, ILogger<CustomerAdmission<T>> logger)
    : IFilter<ConsumeContext<T>>
    where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        if (context.Message is not ICustomerMessage about)
        {
            await next.Send(context);
            return;
        }

        var hash = hashing.HashOf(about.CustomerId);
        var tombstone = (await db.Rows.Where<Tombstone>(context.CancellationToken, (nameof(Tombstone.CustomerHash), hash))).SingleOrDefault();
        if (tombstone is null)
        {
            await next.Send(context);
            return;
        }

        // Counted below and saved with the unit of work.
        db.Tombstones.Attach(tombstone);

        switch (context.Message)
        {
            case HandOverCustomer order:
                outbox.Send(about.CustomerId, BrokerNames.HubAddress,
                    new CustomerHandedOver { TakeoverId = order.TakeoverId, CustomerId = about.CustomerId, Outcome = HandOverOutcome.Erased });
                break;
            case var message when RequestFacts.Of(message) is { } request:
                outbox.Send(about.CustomerId, BrokerNames.HubAddress, RequestOpening.ForErasedCustomer(request, hash, tombstone.ErasedAt));
                logger.LogInformation("{Kind} {RequestId} for an erased customer (tombstone {Tombstone}) answered as erased",
                    request.Kind, request.RequestId, hash[..12]);
                break;
            default:
                tombstone.QuarantinedMessages++;
                tombstone.LastQuarantinedAt = clock.GetUtcNow();
                logger.LogWarning("{MessageType} for an erased customer quarantined (tombstone {Tombstone}, {Count} so far)",
                    typeof(T).Name, hash[..12], tombstone.QuarantinedMessages);
                break;
        }

        // Dealt with here, not unhandled: MassTransit would otherwise move it to the skipped queue.
        await context.NotifyConsumed(context, TimeSpan.Zero, "hub.admission");
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("customerAdmission");
}
