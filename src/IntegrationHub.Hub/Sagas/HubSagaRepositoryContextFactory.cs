using IntegrationHub.Hub.Persistence;
using MassTransit;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Hub.Sagas;

/// <summary>
/// The saga repository on the hub's store (SQLite or PostgreSQL, <see cref="Persistence.StoreEngine"/>), built on MassTransit core's extension points because
/// MassTransit.EntityFrameworkCore is not available here. It only loads and saves: the transaction,
/// the inbox and the outbox belong to the hub's unit of work (<see cref="UnitOfWork.HubUnitOfWork{T}"/>),
/// which commits what this repository added together with everything else the message changed. The
/// version column guards against a concurrent writer (another hub process, or one that bypasses the
/// writer); a conflict throws and the
/// endpoint's retry runs the message again.
/// </summary>
public sealed class HubSagaRepositoryContextFactory<TSaga>(
    HubDbContext db,
    ISagaConsumeContextFactory<HubDbContext, TSaga> consumeContextFactory,
    ISagaProjection<TSaga> projection,
    TimeProvider clock)
    : ISagaRepositoryContextFactory<TSaga>, ILoadSagaRepositoryContextFactory<TSaga>, IQuerySagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISagaVersion
{
    private static readonly string SagaType = typeof(TSaga).Name;

    public Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next) where T : class =>
        next.Send(new HubSagaRepositoryContext<TSaga, T>(db, context, consumeContextFactory, projection, clock));

    public async Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class
    {
        var matches = await Matching(query, context.CancellationToken);
        var repositoryContext = new HubSagaRepositoryContext<TSaga, T>(db, context, consumeContextFactory, projection, clock);
        await next.Send(new DefaultSagaRepositoryQueryContext<TSaga, T>(repositoryContext, matches));
    }

    public Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        asyncMethod(new HubSagaReadContext(this, cancellationToken));

    public Task<T> Execute<T>(Func<QuerySagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        asyncMethod(new HubSagaReadContext(this, cancellationToken));

    public void Probe(ProbeContext context) => context.CreateScope("sagaRepository").Add("persistence", "hub-store");

    // Queries run over the deserialized instances: our sagas correlate by id, and a query is only
    // used by tests and tools, so a scan of the table is acceptable.
    private async Task<List<Guid>> Matching(ISagaQuery<TSaga> query, CancellationToken cancellationToken)
    {
        var predicate = query.FilterExpression.Compile();
        var rows = await db.Sagas.AsNoTracking().Where(s => s.SagaType == SagaType).ToListAsync(cancellationToken);
        return rows.Select(r => SagaStateSerializer.Deserialize<TSaga>(r.Data)).Where(predicate).Select(s => s.CorrelationId).ToList();
    }

    private async Task<TSaga?> LoadDetached(Guid correlationId, CancellationToken cancellationToken)
    {
        var row = await db.Sagas.AsNoTracking().SingleOrDefaultAsync(s => s.SagaType == SagaType && s.CorrelationId == correlationId, cancellationToken);
        return row is null ? null : SagaStateSerializer.Deserialize<TSaga>(row.Data);
    }

    private sealed class HubSagaReadContext(HubSagaRepositoryContextFactory<TSaga> factory, CancellationToken cancellationToken)
        : MassTransit.Middleware.BasePipeContext(cancellationToken), LoadSagaRepositoryContext<TSaga>, QuerySagaRepositoryContext<TSaga>
    {
        // MassTransit's interface says TSaga, but a missing instance is answered with null, as its own repositories do.
        public async Task<TSaga> Load(Guid correlationId) => (await factory.LoadDetached(correlationId, CancellationToken))!;

        public async Task<SagaRepositoryQueryContext<TSaga>> Query(ISagaQuery<TSaga> query, CancellationToken cancellationToken = default) =>
            new DefaultSagaRepositoryQueryContext<TSaga>(this, await factory.Matching(query, cancellationToken));
    }
}
