using Microsoft.EntityFrameworkCore;

using IntegrationHub.Hub.Audit;

namespace IntegrationHub.Hub.Persistence;

public sealed class HubDbContext(DbContextOptions<HubDbContext> options) : DbContext(options)
{
    private readonly List<AuditEntry> _stagedAudit = [];
    private readonly List<OutboxRow> _stagedOutbox = [];

    /// <summary>The hot path's rows in plain SQL (<see cref="StoreRows"/>), in this context's transaction.</summary>
    public StoreRows Rows => field ??= new StoreRows(this);

    /// <summary>Audit entries of the open unit of work, written with its next save.</summary>
    public IReadOnlyList<AuditEntry> StagedAudit => _stagedAudit;

    /// <summary>
    /// Adds an audit entry or outbox row to the open unit of work: written by the next save, in its
    /// transaction, as one multi-row insert instead of through EF Core's change tracking (a capture adds
    /// about ten audit entries). Like a tracked addition, it is not visible to queries before that save.
    /// </summary>
    public void Stage(AuditEntry entry) => _stagedAudit.Add(entry);

    /// <inheritdoc cref="Stage(AuditEntry)"/>
    public void Stage(OutboxRow row) => _stagedOutbox.Add(row);

    /// <summary>Forgets everything the unit of work changed and did not save: tracked entities and staged rows (a failed attempt).</summary>
    public void Forget()
    {
        ChangeTracker.Clear();
        _stagedAudit.Clear();
        _stagedOutbox.Clear();
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (_stagedAudit.Count == 0 && _stagedOutbox.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        // The staged rows and the tracked changes commit together: in the unit of work's transaction, or in one of their own.
        await using var own = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        var written = _stagedAudit.Count + _stagedOutbox.Count;
        await Rows.Insert(_stagedAudit, cancellationToken);
        await Rows.Insert(_stagedOutbox, cancellationToken);
        written += await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        if (own is not null)
        {
            await own.CommitAsync(cancellationToken);
        }

        _stagedAudit.Clear();
        _stagedOutbox.Clear();
        return written;
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        _stagedAudit.Count == 0 && _stagedOutbox.Count == 0
            ? base.SaveChanges(acceptAllChangesOnSuccess)
            : throw new InvalidOperationException("staged audit and outbox rows are saved by SaveChangesAsync only");

    public DbSet<SagaRow> Sagas => Set<SagaRow>();

    public DbSet<AuditEntry> Audit => Set<AuditEntry>();

    public DbSet<LedgerEntry> Ledger => Set<LedgerEntry>();

    public DbSet<ProcessedMessage> Inbox => Set<ProcessedMessage>();

    public DbSet<DeadlineRow> Deadlines => Set<DeadlineRow>();

    public DbSet<OutboxRow> Outbox => Set<OutboxRow>();

    public DbSet<OutboxLease> OutboxLeases => Set<OutboxLease>();

    public DbSet<Tombstone> Tombstones => Set<Tombstone>();

    public DbSet<PendingScrub> PendingScrubs => Set<PendingScrub>();

    public DbSet<GatheredAnswer> Gathered => Set<GatheredAnswer>();

    public DbSet<DealerAssignment> DealerAssignments => Set<DealerAssignment>();

    public DbSet<TakeoverCustomer> TakeoverCustomers => Set<TakeoverCustomer>();

    public DbSet<CustomerDealer> CustomerDealers => Set<CustomerDealer>();

    public DbSet<AggregateSighting> Sightings => Set<AggregateSighting>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<SagaRow>(saga =>
        {
            saga.HasKey(s => new { s.SagaType, s.CorrelationId });
            saga.Property(s => s.Version).IsConcurrencyToken();
            saga.HasIndex(s => s.CurrentState);
        });
        modelBuilder.Entity<AuditEntry>(audit =>
        {
            audit.HasKey(a => a.Id);
            audit.HasIndex(a => a.CustomerId);
            audit.HasIndex(a => a.MessageId);
            audit.Property(a => a.Kind).HasConversion<string>();
            audit.Property(a => a.Category).HasConversion<string>();
            audit.Property(a => a.Reason).HasConversion<string>();
        });
        modelBuilder.Entity<LedgerEntry>(ledger =>
        {
            ledger.HasKey(l => new { l.CustomerId, l.Company, l.Category });
            ledger.Property(l => l.Category).HasConversion<string>();
        });
        modelBuilder.Entity<ProcessedMessage>().HasKey(m => m.MessageId);
        modelBuilder.Entity<DeadlineRow>(deadline =>
        {
            deadline.HasKey(d => new { d.SagaId, d.Company });
            deadline.Property(d => d.Owner).HasConversion<string>();
            deadline.HasIndex(d => d.DueAt);
        });
        modelBuilder.Entity<OutboxRow>(outbox =>
        {
            outbox.HasKey(o => o.Id);
            outbox.HasIndex(o => o.CustomerId);
        });
        modelBuilder.Entity<OutboxLease>().HasKey(l => l.Name);
        modelBuilder.Entity<Tombstone>().HasKey(t => t.CustomerHash);
        modelBuilder.Entity<PendingScrub>().HasKey(p => p.CustomerId);
        modelBuilder.Entity<DealerAssignment>(assignment =>
        {
            assignment.HasKey(a => a.TakeoverId);
            assignment.HasIndex(a => new { a.DealerId, a.EffectiveAt });
        });
        modelBuilder.Entity<AggregateSighting>(sighting =>
        {
            sighting.HasKey(a => new { a.Day, a.Context, a.Category, a.CustomerHash });
            sighting.Property(a => a.Context).HasConversion<string>();
            sighting.Property(a => a.Category).HasConversion<string>();
            sighting.HasIndex(a => a.CustomerHash);
        });
        modelBuilder.Entity<TakeoverCustomer>(customer =>
        {
            customer.HasKey(h => new { h.TakeoverId, h.CustomerId });
            customer.Property(h => h.Outcome).HasConversion<string>();
        });
        modelBuilder.Entity<CustomerDealer>(dealer =>
        {
            dealer.HasKey(d => d.CustomerId);
            dealer.HasIndex(d => d.DealerId);
        });
        modelBuilder.Entity<GatheredAnswer>(answer =>
        {
            answer.HasKey(a => new { a.RequestId, a.Company });
            answer.HasIndex(a => a.CustomerId);
        });

        // SQLite cannot order or compare DateTimeOffset columns natively; store UTC ticks so the
        // sweeper's "due before now" query runs in the database.
        foreach (var property in modelBuilder.Model.GetEntityTypes().SelectMany(t => t.GetProperties())
                     .Where(p => p.ClrType == typeof(DateTimeOffset) || p.ClrType == typeof(DateTimeOffset?)))
        {
            property.SetValueConverter(new Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter());
        }
    }
}
