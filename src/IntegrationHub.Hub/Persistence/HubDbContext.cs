using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Hub.Persistence;

public sealed class HubDbContext(DbContextOptions<HubDbContext> options) : DbContext(options)
{
    public DbSet<CustomerProfile> Customers => Set<CustomerProfile>();

    public DbSet<RoutedCapture> RoutedCaptures => Set<RoutedCapture>();

    public DbSet<AuditRecord> Audit => Set<AuditRecord>();

    public DbSet<LedgerEntry> Ledger => Set<LedgerEntry>();

    public DbSet<ProcessedMessage> Inbox => Set<ProcessedMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<CustomerProfile>(customer =>
        {
            customer.HasKey(c => c.CustomerId);
            customer.Property(c => c.Version).IsConcurrencyToken();
            customer.Property(c => c.ConsentChannel).HasConversion<string>();
        });
        modelBuilder.Entity<RoutedCapture>().HasKey(c => c.CaptureId);
        modelBuilder.Entity<AuditRecord>(audit =>
        {
            audit.HasKey(a => a.Id);
            audit.HasIndex(a => a.CustomerId);
        });
        modelBuilder.Entity<LedgerEntry>(ledger =>
        {
            ledger.HasKey(l => new { l.CustomerId, l.Company, l.Category });
            ledger.Property(l => l.Category).HasConversion<string>();
        });
        modelBuilder.Entity<ProcessedMessage>().HasKey(m => m.MessageId);
    }
}
