using IntegrationHub.Platform;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Workers;

/// <summary>A company's own record of the customer data it received: one SQLite file per company.</summary>
public sealed class CompanyStore(DbContextOptions<CompanyStore> options) : DbContext(options)
{
    public DbSet<HeldRecord> Records => Set<HeldRecord>();

    public DbSet<CustomerStanding> Customers => Set<CustomerStanding>();

    public DbSet<AnsweredCommand> Answered => Set<AnsweredCommand>();

    public DbSet<ErasedCustomer> ErasedCustomers => Set<ErasedCustomer>();

    public DbSet<HandledDelivery> HandledDeliveries => Set<HandledDelivery>();

    public DbSet<RefusedDelivery> RefusedDeliveries => Set<RefusedDelivery>();

    public static CompanyStore Open(string path)
    {
        var options = new DbContextOptionsBuilder<CompanyStore>();
        options.UseSqliteStore(path);
        return new CompanyStore(options.Options);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<HeldRecord>(record =>
        {
            record.HasKey(r => r.Id);
            record.HasIndex(r => new { r.DeliveryId, r.Category }).IsUnique();
            record.HasIndex(r => r.CustomerId);
            record.Property(r => r.Category).HasConversion<string>();
            record.Property(r => r.Context).HasConversion<string>();
            record.Property(r => r.ContractKind).HasConversion<string>();
            record.Property(r => r.Purpose).HasConversion<string>();
        });
        modelBuilder.Entity<CustomerStanding>().HasKey(c => c.CustomerId);
        modelBuilder.Entity<ErasedCustomer>().HasKey(e => e.CustomerHash);
        modelBuilder.Entity<HandledDelivery>().HasKey(h => h.DeliveryId);
        modelBuilder.Entity<RefusedDelivery>(refused =>
        {
            refused.HasKey(r => r.Id);
            refused.Property(r => r.Reason).HasConversion<string>();
        });
        modelBuilder.Entity<AnsweredCommand>(answered =>
        {
            answered.HasKey(a => a.CommandId);
            answered.OwnsMany(a => a.Outcomes, outcome =>
            {
                outcome.ToTable("AnsweredOutcomes");
                outcome.WithOwner().HasForeignKey("CommandId");
                outcome.HasKey("CommandId", nameof(AnsweredOutcome.Category), nameof(AnsweredOutcome.Outcome));
                outcome.Property(o => o.Category).HasConversion<string>();
                outcome.Property(o => o.Outcome).HasConversion<string>();
            });
        });
    }
}
