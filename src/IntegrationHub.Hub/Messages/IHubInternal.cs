using MassTransit;

namespace IntegrationHub.Hub.Messages;

/// <summary>
/// A message the hub sends to itself, between its sagas. On RabbitMQ only the hub's own broker user
/// may have sent it; anything else claiming to be one is refused.
/// </summary>
[ExcludeFromImplementedTypes]
[ExcludeFromTopology]
public interface IHubInternal;
