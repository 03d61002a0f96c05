using IntegrationHub.Hub.Persistence;
using MassTransit;
using MassTransit.Context;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Hub.Sagas;

/// <summary>One message's view of the saga table: loads, adds, updates and deletes instances in the open transaction.</summary>
public sealed class SqliteSagaRepositoryContext<TSaga, TMessage> : ConsumeContextScope<TMessage>, SagaRepositoryContext<TSaga, TMessage>
    where TSaga : class, ISagaVersion
    where TMessage : class
{
    private static readonly string SagaType = typeof(TSaga).Name;

    private readonly HubDbContext db;
    private readonly ConsumeContext<TMessage> consumeContext;
    private readonly ISagaConsumeContextFactory<HubDbContext, TSaga> factory;
    private readonly ISagaProjection<TSaga> projection;
    private readonly TimeProvider clock;

    public SqliteSagaRepositoryContext(HubDbContext db, ConsumeContext<TMessage> consumeContext,
        ISagaConsumeContextFactory<HubDbContext, TSaga> factory, ISagaProjection<TSaga> projection, TimeProvider clock)
        : base(consumeContext)
    {
        this.db = db;
        this.consumeContext = consumeContext;
        this.factory = factory;
        this.projection = projection;
        this.clock = clock;
    }

    private readonly Dictionary<Guid, SagaRow> _loaded = [];

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        factory.CreateSagaConsumeContext(db, consumeContext, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<TSaga, TMessage>?> Insert(TSaga instance)
    {
        if (await db.Sagas.AnyAsync(s => s.SagaType == SagaType && s.CorrelationId == instance.CorrelationId, CancellationToken))
        {
            return null;
        }

        await Write(instance, inserting: true);
        return await factory.CreateSagaConsumeContext(db, consumeContext, instance, SagaConsumeContextMode.Insert);
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>?> Load(Guid correlationId)
    {
        var row = await db.Sagas.SingleOrDefaultAsync(s => s.SagaType == SagaType && s.CorrelationId == correlationId, CancellationToken);
        if (row is null)
        {
            return null;
        }

        _loaded[correlationId] = row;
        var instance = SagaStateSerializer.Deserialize<TSaga>(row.Data);
        return await factory.CreateSagaConsumeContext(db, consumeContext, instance, SagaConsumeContextMode.Load);
    }

    public Task Save(SagaConsumeContext<TSaga> sagaContext) => Write(sagaContext.Saga, inserting: true);

    public Task Update(SagaConsumeContext<TSaga> sagaContext) => Write(sagaContext.Saga, inserting: false);

    public async Task Delete(SagaConsumeContext<TSaga> sagaContext)
    {
        var id = sagaContext.Saga.CorrelationId;
        var row = _loaded.GetValueOrDefault(id) ?? await db.Sagas.SingleOrDefaultAsync(s => s.SagaType == SagaType && s.CorrelationId == id, CancellationToken);
        if (row is not null)
        {
            db.Sagas.Remove(row);
        }

        await projection.Project(db, id, null, CancellationToken);
    }

    public Task Discard(SagaConsumeContext<TSaga> sagaContext) => Task.CompletedTask;

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> otherContext, TSaga instance, SagaConsumeContextMode mode)
        where T : class =>
        factory.CreateSagaConsumeContext(db, otherContext, instance, mode);

    public Task Undo(SagaConsumeContext<TSaga> sagaContext)
    {
        // Nothing is written before the transaction commits; dropping the tracked changes undoes it.
        db.ChangeTracker.Clear();
        return Task.CompletedTask;
    }

    private async Task Write(TSaga instance, bool inserting)
    {
        instance.Version++;
        var state = instance is IHubSaga saga ? saga.CurrentState : "";
        if (inserting)
        {
            db.Sagas.Add(new SagaRow
            {
                CorrelationId = instance.CorrelationId,
                SagaType = SagaType,
                CurrentState = state,
                Version = instance.Version,
                Data = SagaStateSerializer.Serialize(instance),
                UpdatedAt = clock.GetUtcNow(),
            });
        }
        else
        {
            var row = _loaded[instance.CorrelationId];

            // The version read is the original value EF compares in the UPDATE's WHERE clause; the
            // instance must have moved exactly one step on from it.
            if (row.Version != instance.Version - 1)
            {
                throw new DbUpdateConcurrencyException($"saga {instance.CorrelationId} changed from version {row.Version} to {instance.Version} in one step");
            }

            row.Version = instance.Version;
            row.CurrentState = state;
            row.Data = SagaStateSerializer.Serialize(instance);
            row.UpdatedAt = clock.GetUtcNow();
        }

        await projection.Project(db, instance.CorrelationId, instance, CancellationToken);
    }
}
