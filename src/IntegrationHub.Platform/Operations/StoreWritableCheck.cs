using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IntegrationHub.Platform.Operations;

/// <summary>
/// Ready only while the process's SQLite store can be written: the check takes the write lock
/// (BEGIN IMMEDIATE, waiting at most two seconds behind a running transaction) and rolls back.
/// </summary>
public sealed class StoreWritableCheck(string path) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var connection = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, DefaultTimeout = 2, Pooling = false };
            await using var store = new SqliteConnection(connection.ToString());
            await store.OpenAsync(cancellationToken);
            await using var transaction = store.BeginTransaction(deferred: false);
            await transaction.RollbackAsync(cancellationToken);
            return HealthCheckResult.Healthy("store writable");
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy($"store not writable ({ex.GetType().Name}: {(ex as SqliteException)?.SqliteErrorCode})");
        }
    }
}

public static class StoreWritableCheckRegistration
{
    public static IHealthChecksBuilder AddStoreWritable(this IHealthChecksBuilder checks, string name, string path) =>
        checks.AddCheck(name, new StoreWritableCheck(path), tags: ["ready"]);
}
