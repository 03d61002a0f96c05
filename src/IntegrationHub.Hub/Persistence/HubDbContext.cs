using Microsoft.EntityFrameworkCore;

using IntegrationHub.Hub.Audit;

namespace IntegrationHub.Hub.Persistence;

public sealed class HubDbContext(DbContextOptions<HubDbContext> options) : DbContext(options)
{
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
