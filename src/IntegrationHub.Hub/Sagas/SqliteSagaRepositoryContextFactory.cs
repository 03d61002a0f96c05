using IntegrationHub.Hub.Persistence;
using MassTransit;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub.Sagas;

/// <summary>
/// A saga repository on SQLite, built on MassTransit core's extension points because
/// MassTransit.EntityFrameworkCore is not available here. Each message is handled in one
/// transaction that holds the saga row, its projections, the rows activities add (audit, outbox) and
/// the inbox entry of the message, so a redelivered message has the effect of one. The write lock is
/// taken at the start (BEGIN IMMEDIATE), and the version column guards against any writer that
/// bypasses it; a conflict throws and the endpoint's retry runs the message again.
/// </summary>
public sealed class SqliteSagaRepositoryContextFactory<TSaga>(
    HubDbContext db,
    ISagaConsumeContextFactory<HubDbContext, TSaga> consumeContextFactory,
    ISagaProjection<TSaga> projection,
    SagaAdmission admission,
    OutboxDispatcher outboxDispatcher,
    TimeProvider clock,
    ILogger<SqliteSagaRepositoryContextFactory<TSaga>> logger)
    : ISagaRepositoryContextFactory<TSaga>, ILoadSagaRepositoryContextFactory<TSaga>, IQuerySagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISagaVersion
{
    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next) where T : class
    {
        // A retry runs in the same scope: forget whatever the failed attempt had tracked.
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(context.CancellationToken);

        var key = MessageKeys.Of(context);
        if (await db.Inbox.AnyAsync(m => m.MessageId == key, context.CancellationToken))
        {
            logger.LogInformation("{MessageType} {MessageKey} was handled before; duplicate ignored", typeof(T).Name, key);
            return;
        }

        if (context.CorrelationId is { } customerId && !await admission.Admit(db, customerId, typeof(T).Name, context.CancellationToken))
        {
            // Quarantined: counted against the tombstone, never routed, and the customer is not recreated.
            db.Inbox.Add(new ProcessedMessage { MessageId = key, Kind = "quarantined:" + typeof(T).Name, ProcessedAt = clock.GetUtcNow() });
            await db.SaveChangesAsync(context.CancellationToken);
            await transaction.CommitAsync(context.CancellationToken);
            return;
        }

        var repositoryContext = new SqliteSagaRepositoryContext<TSaga, T>(db, context, consumeContextFactory, projection, clock);
        await next.Send(repositoryContext);

        db.Inbox.Add(new ProcessedMessage { MessageId = key, Kind = typeof(T).Name, ProcessedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(context.CancellationToken);
        await transaction.CommitAsync(context.CancellationToken);
        outboxDispatcher.Wake();
    }

    public async Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(context.CancellationToken);
        var matches = await Matching(query, context.CancellationToken);
        var repositoryContext = new SqliteSagaRepositoryContext<TSaga, T>(db, context, consumeContextFactory, projection, clock);
        await next.Send(new DefaultSagaRepositoryQueryContext<TSaga, T>(repositoryContext, matches));
        await db.SaveChangesAsync(context.CancellationToken);
        await transaction.CommitAsync(context.CancellationToken);
    }

    public Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        asyncMethod(new SqliteSagaReadContext(this, cancellationToken));

    public Task<T> Execute<T>(Func<QuerySagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        asyncMethod(new SqliteSagaReadContext(this, cancellationToken));

    public void Probe(ProbeContext context) => context.CreateScope("sagaRepository").Add("persistence", "sqlite");

    // Queries run over the deserialized instances: our sagas correlate by id, and a query is only
    // used by tests and tools, so a scan of the table is acceptable.
    private async Task<List<Guid>> Matching(ISagaQuery<TSaga> query, CancellationToken cancellationToken)
    {
        var predicate = query.FilterExpression.Compile();
        var rows = await db.Sagas.AsNoTracking().Where(s => s.SagaType == typeof(TSaga).Name).ToListAsync(cancellationToken);
        return rows.Select(r => SagaStateSerializer.Deserialize<TSaga>(r.Data)).Where(predicate).Select(s => s.CorrelationId).ToList();
    }

    private async Task<TSaga?> LoadDetached(Guid correlationId, CancellationToken cancellationToken)
    {
        var row = await db.Sagas.AsNoTracking().SingleOrDefaultAsync(s => s.CorrelationId == correlationId, cancellationToken);
        return row is null ? null : SagaStateSerializer.Deserialize<TSaga>(row.Data);
    }

    private sealed class SqliteSagaReadContext(SqliteSagaRepositoryContextFactory<TSaga> factory, CancellationToken cancellationToken)
        : MassTransit.Middleware.BasePipeContext(cancellationToken), LoadSagaRepositoryContext<TSaga>, QuerySagaRepositoryContext<TSaga>
    {
        // MassTransit's interface says TSaga, but a missing instance is answered with null, as its own repositories do.
        public async Task<TSaga> Load(Guid correlationId) => (await factory.LoadDetached(correlationId, CancellationToken))!;

        public async Task<SagaRepositoryQueryContext<TSaga>> Query(ISagaQuery<TSaga> query, CancellationToken cancellationToken = default) =>
            new DefaultSagaRepositoryQueryContext<TSaga>(this, await factory.Matching(query, cancellationToken));
    }
}
