using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>
/// A message that carries its own id, chosen by its sender (captureId, consentId, commandId, …), so
/// that a sender that publishes the same message again after an unconfirmed publish gets a duplicate,
/// not a second effect. Implemented explicitly, so the id is not written to the wire twice.
/// </summary>
[ExcludeFromImplementedTypes]
[ExcludeFromTopology]
public interface IUniqueMessage
{
    Guid UniqueId { get; }
}
