using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Platform;

/// <summary>Opens SQLite files the way every store of ours wants them: WAL, a busy timeout, the schema in place.</summary>
public static class SqliteStore
{
    /// <summary>
    /// Microsoft.Data.Sqlite retries a busy database until the command timeout passes, so the
    /// default timeout is our busy timeout.
    /// </summary>
    public static string ConnectionString(string path) =>
        new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();

    /// <summary>Creates the schema if missing and switches the file to WAL (a persistent property of the file).</summary>
    public static void Prepare(DbContext context)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(context.Database.GetDbConnection().DataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        context.Database.EnsureCreated();
        context.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
    }
}
