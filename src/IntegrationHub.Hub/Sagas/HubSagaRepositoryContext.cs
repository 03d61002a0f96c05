using IntegrationHub.Hub.Persistence;
using MassTransit;
using MassTransit.Context;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Hub.Sagas;

/// <summary>One message's view of the saga table: loads, adds, updates and deletes instances in the open transaction.</summary>
public sealed class HubSagaRepositoryContext<TSaga, TMessage> : ConsumeContextScope<TMessage>, SagaRepositoryContext<TSaga, TMessage>
    where TSaga : class, ISagaVersion
    where TMessage : class
{
    private static readonly string SagaType = typeof(TSaga).Name;

    private readonly HubDbContext db;
    private readonly ConsumeContext<TMessage> consumeContext;
    private readonly ISagaConsumeContextFactory<HubDbContext, TSaga> factory;
    private readonly ISagaProjection<TSaga> projection;
    private readonly TimeProvider clock;

    public HubSagaRepositoryContext(HubDbContext db, ConsumeContext<TMessage> consumeContext,
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
        if (await Row(instance.CorrelationId) is not null)
        {
            return null;
        }

        await Write(instance, inserting: true);
        return await factory.CreateSagaConsumeContext(db, consumeContext, instance, SagaConsumeContextMode.Insert);
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>?> Load(Guid correlationId)
    {
        var row = await Row(correlationId);
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
        if ((_loaded.GetValueOrDefault(id) ?? await Row(id)) is { } row)
        {
            await db.Rows.Delete(row, CancellationToken);
        }

        await projection.Project(db, id, null, CancellationToken);
    }

    public Task Discard(SagaConsumeContext<TSaga> sagaContext) => Task.CompletedTask;

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> otherContext, TSaga instance, SagaConsumeContextMode mode)
        where T : class =>
        factory.CreateSagaConsumeContext(db, otherContext, instance, mode);

    public Task Undo(SagaConsumeContext<TSaga> sagaContext)
    {
        // The unit of work's savepoint undoes what was written; what is tracked or staged is dropped.
        db.Forget();
        return Task.CompletedTask;
    }

    // The saga's row is read and written in plain SQL in the unit of work's transaction (StoreRows), not tracked.
    private async Task<SagaRow?> Row(Guid correlationId) =>
        (await db.Rows.Where<SagaRow>(CancellationToken, (nameof(SagaRow.SagaType), SagaType), (nameof(SagaRow.CorrelationId), correlationId)))
        .SingleOrDefault();

    private async Task Write(TSaga instance, bool inserting)
    {
        instance.Version++;
        var row = new SagaRow
        {
            CorrelationId = instance.CorrelationId,
            SagaType = SagaType,
            CurrentState = instance is IHubSaga saga ? saga.CurrentState : "",
            Version = instance.Version,
            Data = SagaStateSerializer.Serialize(instance),
            UpdatedAt = clock.GetUtcNow(),
        };
        if (inserting)
        {
            await db.Rows.Insert([row], CancellationToken);
        }
        else
        {
            // The instance must have moved exactly one step on from the version read, and the row must
            // still be at that version when written.
            var read = _loaded[instance.CorrelationId].Version;
            if (read != instance.Version - 1 || !await db.Rows.UpdateIf(row, CancellationToken, (nameof(SagaRow.Version), read)))
            {
                throw new DbUpdateConcurrencyException($"saga {instance.CorrelationId} is no longer at version {read}");
            }

            _loaded[instance.CorrelationId] = row;
        }

        await projection.Project(db, instance.CorrelationId, instance, CancellationToken);
    }
}
