using System.Text.Json;
using IntegrationHub.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Workers;

/// <summary>Stores a delivery in the company's store; the same delivery twice is stored once.</summary>
public sealed class StoreDeliveredCustomerData(CompanyWorker worker, TimeProvider clock, ILogger<StoreDeliveredCustomerData> logger)
    : IConsumer<DeliverCustomerData>
{
    public async Task Consume(ConsumeContext<DeliverCustomerData> context)
    {
        var delivery = context.Message;
        if (delivery.Recipient != worker.CompanyId)
        {
            throw new InvalidOperationException($"delivery {delivery.DeliveryId} is addressed to {delivery.Recipient}, not to {worker.CompanyId}");
        }

        await using var store = worker.OpenStore();
        if (await store.Records.AnyAsync(r => r.DeliveryId == delivery.DeliveryId, context.CancellationToken))
        {
            logger.LogInformation("{Company}: delivery {DeliveryId} already stored", worker.CompanyId, delivery.DeliveryId);
            return;
        }

        var now = clock.GetUtcNow();
        foreach (var (category, fields) in delivery.Data)
        {
            store.Records.Add(new HeldRecord
            {
                CustomerId = delivery.CustomerId,
                Category = category,
                Fields = JsonSerializer.Serialize(fields),
                SourceCompany = delivery.SourceCompany,
                DealerId = delivery.DealerId,
                Context = delivery.Context,
                ContractKind = delivery.ContractKind,
                Purpose = delivery.Purpose,
                DeliveryId = delivery.DeliveryId,
                CapturedAt = delivery.CapturedAt,
                ReceivedAt = now,
            });
        }

        await store.SaveChangesAsync(context.CancellationToken);
        logger.LogInformation("{Company}: stored delivery {DeliveryId} for customer {CustomerId}: {Categories}",
            worker.CompanyId, delivery.DeliveryId, delivery.CustomerId, string.Join(",", delivery.Data.Keys));
    }
}
