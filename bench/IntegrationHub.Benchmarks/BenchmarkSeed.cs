using System.Data.Common;
using System.Diagnostics;
using IntegrationHub.Contracts;
using IntegrationHub.Hub.Customers;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.Sagas;
using IntegrationHub.Platform;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// Fills a fresh hub store with customers as if each had been captured once at a workshop (held by
/// OP-NORD and PAG), without going through the broker: the customer saga rows, their recipient
/// ledger rows and their Zentrum rows. The rows are written in the hub's own format: the schema is
/// created by the hub's DbContext, the saga JSON by the hub's saga serializer, and every column name
/// and value conversion is taken from the DbContext's model, so a change of the model changes the
/// rows written here. Afterwards a sample of customers is run through the hub's own projection,
/// which must find nothing to change, or the fill is refused.
/// </summary>
public static class BenchmarkSeed
{
    public static (Guid[] Customers, TimeSpan Elapsed) Fill(string databasePath, int customers)
    {
        var clock = Stopwatch.StartNew();
        var builder = new DbContextOptionsBuilder<HubDbContext>();
        builder.UseSqliteStore(databasePath);
        var options = builder.Options;
        using (var schema = new HubDbContext(options))
        {
            SqliteStore.Prepare(schema);
        }

        SqliteConnection.ClearAllPools();
        IModel model;
        using (var modelContext = new HubDbContext(options))
        {
            model = modelContext.Model;
        }

        var ids = new Guid[customers];
        var active = new CustomerStateMachine().Active.Name;
        var sagaType = typeof(CustomerState).Name;
        // Whole milliseconds: the store keeps times at 0.1 ms (DateTimeOffsetToBinaryConverter), so the
        // times in the saga JSON and in the ledger rows read back equal.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        using (var connection = new SqliteConnection(SqliteStore.ConnectionString(databasePath)))
        {
            connection.Open();

            // One transaction, rolled back journal instead of WAL while filling (a fresh file: nothing to lose),
            // and a large page cache for the random-key indexes; the file is switched back to WAL afterwards.
            Execute(connection, "PRAGMA journal_mode=DELETE; PRAGMA synchronous=OFF; PRAGMA cache_size=-400000;");
            using (var db = new HubDbContext(new DbContextOptionsBuilder<HubDbContext>().UseSqlite(connection).Options))
            using (var transaction = db.Database.BeginTransaction())
            {
                // The hub's own row writer (StoreRows): the tables, columns and conversions of its model.
                var sagas = new List<SagaRow>();
                var ledger = new List<LedgerEntry>();
                var dealers = new List<CustomerDealer>();
                for (var i = 0; i < customers; i++)
                {
                    var state = new CustomerState { CorrelationId = Guid.NewGuid(), CurrentState = active, Version = 1, DealerId = Captures.Dealer, CreatedAt = now, UpdatedAt = now };
                    foreach (var company in Captures.WorkshopRecipients)
                    {
                        var deliveryId = Guid.NewGuid();
                        foreach (var category in new[] { DataCategory.ContactIdentification, DataCategory.VehicleHistory })
                        {
                            state.Hold(company, category, deliveryId, now);
                        }
                    }

                    ids[i] = state.CorrelationId;
                    sagas.Add(new SagaRow
                    {
                        CorrelationId = state.CorrelationId, SagaType = sagaType, CurrentState = state.CurrentState, Version = state.Version,
                        Data = SagaStateSerializer.Serialize(state), UpdatedAt = now,
                    });
                    ledger.AddRange(state.Ledger.Select(held => new LedgerEntry
                    {
                        CustomerId = state.CorrelationId, Company = held.Company, Category = held.Category, FirstReceivedAt = held.Since,
                        LastReceivedAt = held.LastReceivedAt, LastDeliveryId = held.LastDeliveryId,
                    }));
                    dealers.Add(new CustomerDealer { CustomerId = state.CorrelationId, DealerId = Captures.Dealer });
                    if (sagas.Count == 1_000 || i == customers - 1)
                    {
                        db.Rows.Insert(sagas, CancellationToken.None).GetAwaiter().GetResult();
                        db.Rows.Insert(ledger, CancellationToken.None).GetAwaiter().GetResult();
                        db.Rows.Insert(dealers, CancellationToken.None).GetAwaiter().GetResult();
                        sagas.Clear();
                        ledger.Clear();
                        dealers.Clear();
                    }
                }

                transaction.Commit();
            }

            Execute(connection, "PRAGMA journal_mode=WAL;");
        }

        SqliteConnection.ClearAllPools();
        Verify(options, ids);
        return (ids, clock.Elapsed);
    }

    /// <summary>Loads sample customers the way the hub does and runs its projection: the rows must already be what it would write.</summary>
    private static void Verify(DbContextOptions<HubDbContext> options, Guid[] ids)
    {
        using var db = new HubDbContext(options);
        var sagaType = typeof(CustomerState).Name;
        var count = db.Sagas.Count(s => s.SagaType == sagaType);
        if (count != ids.Length)
        {
            throw new BenchmarkFailure($"seed: {count} customer sagas in the store, {ids.Length} written");
        }

        var projection = new CustomerProjection();
        foreach (var id in new[] { ids[0], ids[ids.Length / 2], ids[^1] })
        {
            var row = db.Sagas.Single(s => s.SagaType == sagaType && s.CorrelationId == id);
            var state = SagaStateSerializer.Deserialize<CustomerState>(row.Data);

            // The projection writes only rows that differ: SQLite's count of changed rows must not move.
            using var transaction = db.Database.BeginTransaction();
            var before = ChangedRows(db);
            projection.Project(db, id, state, CancellationToken.None).GetAwaiter().GetResult();
            if (ChangedRows(db) != before)
            {
                throw new BenchmarkFailure("seed: the hub's projection would change the seeded ledger or Zentrum rows; the seed no longer matches the hub's format");
            }

            transaction.Rollback();
        }

        SqliteConnection.ClearAllPools();
    }

    private static long ChangedRows(HubDbContext db)
    {
        using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        command.CommandText = "SELECT total_changes()";
        return (long)command.ExecuteScalar()!;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
