using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.Sagas;

namespace IntegrationHub.Hub.Takeovers;

/// <summary>The deadline a running takeover still watches.</summary>
public sealed class TakeoverProjection : ISagaProjection<TakeoverState>
{
    public Task Project(HubDbContext db, Guid takeoverId, TakeoverState? takeover, CancellationToken cancellationToken) =>
        DeadlineProjection.Rewrite(db, takeoverId, DeadlineOwner.Takeover,
            takeover is { CompletedAt: null, OverdueSince: null } ? [("", takeover.DueAt)] : [], cancellationToken);
}
