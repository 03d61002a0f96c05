using System.Text.Json;
using IntegrationHub.Hub.Persistence;
using MassTransit.Serialization;

namespace IntegrationHub.Hub.Sagas;

/// <summary>Stages messages in the outbox table of the open transaction; <see cref="OutboxDispatcher"/> sends them after the commit.</summary>
public sealed class HubOutbox(HubDbContext db, TimeProvider clock)
{
    public void Send(Guid customerId, Uri destination, object message) => Add(customerId, destination.ToString(), message);

    public void Publish(Guid customerId, object message) => Add(customerId, null, message);

    private void Add(Guid customerId, string? destination, object message) =>
        db.Stage(new OutboxRow
        {
            CustomerId = customerId,
            Destination = destination,
            MessageType = message.GetType().AssemblyQualifiedName!,
            Body = JsonSerializer.Serialize(message, message.GetType(), SystemTextJsonMessageSerializer.Options),
            CreatedAt = clock.GetUtcNow(),
        });
}
