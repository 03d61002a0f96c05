using IntegrationHub.Hub.Persistence;

namespace IntegrationHub.Hub.Sagas;

/// <summary>Rows derived from a saga instance, rewritten in the same transaction as the instance.</summary>
public interface ISagaProjection<in TSaga>
{
    Task Project(HubDbContext db, Guid correlationId, TSaga? instance, CancellationToken cancellationToken);
}
