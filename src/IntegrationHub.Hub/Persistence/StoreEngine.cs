using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub.Persistence;

/// <summary>
/// Everything about the hub's store that differs between SQLite and PostgreSQL, in one place. The rest
/// of the store (the unit of work and its writer, the inbox, outbox, sagas, projections, deadlines,
/// <see cref="StoreRows"/>) is one code path on <see cref="DbConnection"/> and <see cref="DbTransaction"/>
/// for both; the model (<see cref="HubDbContext"/>) is the same too, its value conversions included, so
/// both engines store and read back the same values. Chosen by <c>Hub:Store</c> (<see cref="HubOptions.Store"/>).
/// </summary>
public abstract class StoreEngine
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary>The environment variable that names a PostgreSQL server when Hub:PostgresConnection is empty.</summary>
    public const string UrlVariable = "POSTGRES_URL";

    /// <summary><see cref="Sqlite"/> or <see cref="Postgres"/>.</summary>
    public abstract string Kind { get; }

    /// <summary>Where the store is, for messages and logs: a file, or host, port and database (never a password).</summary>
    public abstract string Location { get; }

    /// <summary>The engine of the hub's options; a clear error when the choice or its connection is missing or wrong.</summary>
    public static StoreEngine For(HubOptions options) => For(options.Store, options.DatabasePath, options.PostgresConnection, "Hub");

    /// <param name="section">The configuration section the settings came from, named in errors ("Hub", "Ops").</param>
    public static StoreEngine For(string? store, string databasePath, string? postgresConnection, string section) =>
        (store ?? "").Trim().ToLowerInvariant() switch
        {
            "" or Sqlite => new SqliteStoreEngine(databasePath),
            Postgres or "postgresql" => new PostgresStoreEngine(PostgresSettings.ConnectionString(postgresConnection, section)),
            _ => throw new StoreSettingsException($"{section}:Store is '{store}'; it must be '{Sqlite}' or '{Postgres}'"),
        };

    /// <summary>Configures a context on the store, for the hub itself (reading and writing).</summary>
    public abstract DbContextOptionsBuilder Use(DbContextOptionsBuilder builder);

    /// <summary>Configures a context that can only read the store (the operations dashboard).</summary>
    public abstract DbContextOptionsBuilder UseReadOnly(DbContextOptionsBuilder builder);

    /// <summary>Creates the schema when it is missing (EnsureCreated on both engines) and whatever the engine needs besides.</summary>
    public abstract void Prepare(DbContext db);

    /// <summary>Whether the store exists and holds the hub's tables (the reading commands and the dashboard refuse to start on none).</summary>
    public abstract bool Exists(DbContext db);

    /// <summary>Opens the connection of the store's one writer (<see cref="UnitOfWork.HubWriter"/>) with the engine's settings.</summary>
    public abstract Task<DbConnection> OpenWriterConnection(CancellationToken cancellationToken);

    /// <summary>
    /// After a commit that erased a customer: makes what the engine still keeps of the erased values
    /// on disk go away, as far as the engine lets an application do that (Art. 17 GDPR). True when it
    /// is done (or started); false when it could not finish now and should be asked again later.
    /// </summary>
    public abstract Task<bool> ReclaimErased(DbConnection writer, ILogger logger, CancellationToken cancellationToken);

    /// <summary>
    /// Whether a failed transaction failed only because of a concurrent one (a lock, a conflict): the
    /// writer keeps its connection, and the message's retry runs it again. Any other failure may have
    /// left the connection unusable, so the writer opens a new one.
    /// </summary>
    public abstract bool IsConflict(Exception exception);

    /// <summary>The readiness check: healthy only while the store can be written; waits at most a couple of seconds.</summary>
    public abstract IHealthCheck WritableCheck();

    /// <summary>The exception's engine error code, for logs and health reports (never a message text, which may quote values).</summary>
    public abstract string? ErrorCode(Exception exception);

    /// <summary>The names of the hub's tables, from the model.</summary>
    protected static IReadOnlyList<string> Tables(DbContext db) =>
        db.Model.GetEntityTypes().Select(t => t.GetTableName()).OfType<string>().Distinct().Order().ToList();

    /// <summary>Whether the database exists and has the hub's tables in it.</summary>
    protected static bool HasSchema(DbContext db) =>
        db.GetService<IRelationalDatabaseCreator>() is var creator && creator.Exists() && creator.HasTables();
}

/// <summary>A store setting the hub cannot start with; the message names the setting.</summary>
public sealed class StoreSettingsException(string message) : Exception(message);
