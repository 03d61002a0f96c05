using IntegrationHub.Contracts;
using MassTransit;

namespace IntegrationHub.Hub.Messages;

/// <summary>The sweeper found a dealer takeover past its deadline; the saga decides whether it still matters.</summary>
[EntityName("hub.internal.takeover-deadline-reached")]
public sealed record TakeoverDeadlineReached : IUniqueMessage, IHubInternal
{
    Guid IUniqueMessage.UniqueId => ReminderId;

    public required Guid ReminderId { get; init; }
    public required Guid TakeoverId { get; init; }
    public required DateTimeOffset DueAt { get; init; }
}
