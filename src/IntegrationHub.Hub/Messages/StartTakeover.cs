using IntegrationHub.Contracts;
using MassTransit;

namespace IntegrationHub.Hub.Messages;

/// <summary>An announced dealer takeover has taken effect; whoever notices first sends this, the saga starts once.</summary>
[EntityName("hub.internal.start-takeover")]
public sealed record StartTakeover : IUniqueMessage, IHubInternal
{
    Guid IUniqueMessage.UniqueId => NoticeId;

    /// <summary>Unique per notice: the sweeper may notice again until the takeover has started.</summary>
    public required Guid NoticeId { get; init; }
    public required Guid TakeoverId { get; init; }
}
