using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace IntegrationHub.Hub.Persistence;

/// <summary>
/// Plain SQL for the rows that every message reads or writes (inbox, saga, ledger, audit, outbox), run
/// in the context's open transaction without EF Core's change tracking. On the hot path the tracking
/// (detecting changes, building commands, fixing up the state manager) cost more CPU than SQLite's own
/// work (bench/results/profile-hub.txt); here each statement is prepared once per connection and only
/// its parameters change. Tables, columns, value conversions and parameter types all come from the EF
/// Core model, so these rows are exactly the ones EF Core reads and writes everywhere else, and the SQL
/// (quoted names, <c>INSERT … ON CONFLICT … DO UPDATE</c>) is the same on SQLite and PostgreSQL.
/// </summary>
public sealed partial class StoreRows(DbContext db)
{
    /// <summary>Rows per INSERT statement: few enough to keep the statement small, enough that a unit of work's rows take one or two.</summary>
    private const int RowsPerStatement = 32;

    private static readonly ConditionalWeakTable<DbConnection, ConcurrentDictionary<string, DbCommand>> Prepared = [];
    private static readonly ConcurrentDictionary<(IModel, Type), Table> Tables = new();

    /// <summary>Inserts the rows (a key the database generates is left out and not read back).</summary>
    public async Task Insert<T>(IReadOnlyList<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        var table = TableOf<T>();
        foreach (var chunk in rows.Chunk(RowsPerStatement))
        {
            var command = Command(chunk.Length, table, static (t, n) => $"INSERT INTO {t.Name} ({t.ColumnList(t.Inserted)}) VALUES {t.ValueRows(t.Inserted, n)}");
            Bind(command, table.Inserted, chunk);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Inserts the row unless one with its key exists (then leaves that one as it is); returns whether it inserted.</summary>
    public async Task<bool> InsertIfAbsent<T>(T row, CancellationToken cancellationToken)
        where T : class
    {
        var table = TableOf<T>();
        var command = Command(1, table, static (t, n) => $"INSERT INTO {t.Name} ({t.ColumnList(t.Inserted)}) VALUES {t.ValueRows(t.Inserted, n)} ON CONFLICT ({t.ColumnList(t.Key)}) DO NOTHING");
        Bind(command, table.Inserted, [row]);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Inserts each row, or updates every column but the key of the row with the same key.</summary>
    public async Task Upsert<T>(IReadOnlyList<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        var table = TableOf<T>();
        foreach (var chunk in rows.Chunk(RowsPerStatement))
        {
            var command = Command(chunk.Length, table, static (t, n) =>
                $"INSERT INTO {t.Name} ({t.ColumnList(t.All)}) VALUES {t.ValueRows(t.All, n)} ON CONFLICT ({t.ColumnList(t.Key)}) DO UPDATE SET " +
                string.Join(", ", t.NonKey.Select(c => $"{c.Name} = excluded.{c.Name}")));
            Bind(command, table.All, chunk);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Deletes the row with the key of <paramref name="row"/>; returns whether there was one.</summary>
    public async Task<bool> Delete<T>(T row, CancellationToken cancellationToken)
        where T : class
    {
        var table = TableOf<T>();
        var command = Command(0, table, static (t, _) => $"DELETE FROM {t.Name} WHERE {t.Condition(t.Key, 0)}");
        Bind(command, table.Key, [row]);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>
    /// Replaces the row whose key is <paramref name="row"/>'s only if its <paramref name="guards"/>
    /// columns still hold the values given (optimistic concurrency, compare and swap); returns whether it
    /// did. One statement: on PostgreSQL, a concurrent transaction's update of the row makes this one
    /// wait for its commit and then check the guards against what it committed.
    /// </summary>
    public async Task<bool> UpdateIf<T>(T row, CancellationToken cancellationToken, params (string Property, object? Expected)[] guards)
        where T : class
    {
        var table = TableOf<T>();
        var guarded = guards.Select(g => table.Column(g.Property)).ToArray();
        var command = Command(0, table, (t, _) =>
            $"UPDATE {t.Name} SET {string.Join(", ", t.NonKey.Select((c, i) => $"{c.Name} = {c.Parameter(0, i)}"))} " +
            $"WHERE {t.Condition(t.Key, 1)} AND {t.Condition(guarded, 2)}", string.Join(",", guards.Select(g => g.Property)));
        Bind(command, table.NonKey, [row], round: 0);
        Bind(command, table.Key, [row], round: 1, first: table.NonKey.Length);
        for (var i = 0; i < guarded.Length; i++)
        {
            guarded[i].Bind(command, table.NonKey.Length + table.Key.Length + i, guarded[i].Parameter(2, i), guards[i].Expected);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>The rows whose given columns hold the given values, untracked.</summary>
    public async Task<List<T>> Where<T>(CancellationToken cancellationToken, params (string Property, object? Value)[] equal)
        where T : class
    {
        var table = TableOf<T>();
        var columns = equal.Select(e => table.Column(e.Property)).ToArray();
        var command = Command(0, table, (t, _) => $"SELECT {t.ColumnList(t.All)} FROM {t.Name} WHERE {t.Condition(columns, 0)}",
            string.Join(",", equal.Select(e => e.Property)), writes: false);
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i].Bind(command, i, columns[i].Parameter(0, i), equal[i].Value);
        }

        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(table.Read<T>(reader));
        }

        return rows;
    }

    private Table TableOf<T>() => Tables.GetOrAdd((db.Model, typeof(T)), static (key, helper) => new Table(key.Item1, key.Item2, helper), db.GetService<ISqlGenerationHelper>());

    // The command for this statement on the context's connection, prepared on its first use there.
    private DbCommand Command(int rows, Table table, Func<Table, int, string> sql, string variant = "", bool writes = true)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            // A read outside the writer, on the context's own connection: EF Core keeps it open for the context's life.
            db.Database.OpenConnection();
        }

        var commands = Prepared.GetOrCreateValue(connection);
        var key = $"{table.Name}|{sql.Method.Name}|{variant}|{rows}";
        if (!commands.TryGetValue(key, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql(table, rows);
            commands[key] = command;
        }

        // A write outside a transaction would commit on its own, apart from the rest of its unit of work.
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? (writes ? throw new InvalidOperationException($"{nameof(StoreRows)} writes only inside a transaction") : null);
        return command;
    }

    // Binds the rows' values from the command's parameter number <paramref name="first"/> on (UpdateIf: the values, then the key, then the guards).
    private static void Bind<T>(DbCommand command, Column[] columns, IReadOnlyList<T> rows, int round = -1, int first = 0)
    {
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < columns.Length; c++)
            {
                columns[c].Bind(command, first + r * columns.Length + c, columns[c].Parameter(round < 0 ? r : round, c), columns[c].Get(rows[r]!));
            }
        }
    }
}
