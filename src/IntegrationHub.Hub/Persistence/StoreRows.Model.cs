using System.Data.Common;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace IntegrationHub.Hub.Persistence;

// How StoreRows sees a table of the EF Core model: its quoted name, key and other columns and the SQL
// fragments built from them; each column with its type mapping, parameters, and how its value is read
// from an entity or a data reader and set on an entity.
public sealed partial class StoreRows
{
    private sealed class Column(IProperty property, ISqlGenerationHelper helper)
    {
        public string Name { get; } = helper.DelimitIdentifier(property.GetColumnName());

        public string Property => property.Name;

        public RelationalTypeMapping Mapping { get; } = property.GetRelationalTypeMapping();

        public bool Nullable => property.IsNullable;

        // A whole-number key the database numbers (SQLite's rowid, PostgreSQL's identity); a Guid key is always given.
        public bool Generated => property.IsPrimaryKey() && property.ValueGenerated == ValueGenerated.OnAdd && property.ClrType == typeof(long);

        private readonly PropertyInfo _info = property.PropertyInfo ?? throw new InvalidOperationException($"{property.Name} has no CLR property");

        public object? Get(object row) => _info.GetValue(row);

        public void Set(object row, object? value) => _info.SetValue(row, value);

        public string Parameter(int row, int column) => $"@p{row}_{column}";

        /// <summary>
        /// Sets the command's parameter number <paramref name="index"/> to <paramref name="value"/>, in the
        /// provider's type (the mapping's conversion); creates it on the command's first use. A command
        /// keeps its parameter objects from one use to the next: Npgsql, once it has prepared a statement
        /// on the server, binds the parameter objects the command had then, so replacing them with new
        /// ones would send the old values.
        /// </summary>
        public void Bind(DbCommand command, int index, string name, object? value)
        {
            if (index < command.Parameters.Count)
            {
                command.Parameters[index].Value = value is null ? DBNull.Value : Mapping.Converter?.ConvertToProvider(value) ?? value;
            }
            else
            {
                command.Parameters.Add(Mapping.CreateParameter(command, name, value, Nullable));
            }
        }

        public object? Read(DbDataReader reader, int ordinal)
        {
            if (reader.IsDBNull(ordinal))
            {
                return null;
            }

            var provider = Mapping.Converter?.ProviderClrType ?? System.Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
            object value = provider switch
            {
                _ when provider == typeof(string) => reader.GetString(ordinal),
                _ when provider == typeof(long) => reader.GetInt64(ordinal),
                _ when provider == typeof(int) => reader.GetInt32(ordinal),
                _ when provider == typeof(bool) => reader.GetBoolean(ordinal),
                _ when provider == typeof(Guid) => reader.GetGuid(ordinal),
                _ when provider == typeof(double) => reader.GetDouble(ordinal),
                _ => reader.GetValue(ordinal),
            };
            return Mapping.Converter is { } converter ? converter.ConvertFromProvider(value) : value;
        }
    }

    private sealed class Table
    {
        public Table(IModel model, Type type, ISqlGenerationHelper helper)
        {
            var entity = model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not in the hub's model");
            Name = helper.DelimitIdentifier(entity.GetTableName()!, entity.GetSchema());
            All = entity.GetProperties().Select(p => new Column(p, helper)).ToArray();
            var key = entity.FindPrimaryKey()!.Properties.Select(p => p.Name).ToHashSet();
            Key = All.Where(c => key.Contains(c.Property)).ToArray();
            NonKey = All.Where(c => !key.Contains(c.Property)).ToArray();
            Inserted = All.Where(c => !c.Generated).ToArray();
        }

        public string Name { get; }

        public Column[] All { get; }

        public Column[] Key { get; }

        public Column[] NonKey { get; }

        public Column[] Inserted { get; }

        public Column Column(string property) =>
            All.SingleOrDefault(c => c.Property == property) ?? throw new InvalidOperationException($"{Name} has no column for {property}");

        public string ColumnList(Column[] columns) => string.Join(", ", columns.Select(c => c.Name));

        public string ValueRows(Column[] columns, int rows) =>
            string.Join(", ", Enumerable.Range(0, rows).Select(r => $"({string.Join(", ", columns.Select((c, i) => c.Parameter(r, i)))})"));

        public string Condition(Column[] columns, int round) =>
            string.Join(" AND ", columns.Select((c, i) => $"{c.Name} = {c.Parameter(round, i)}"));

        public T Read<T>(DbDataReader reader)
        {
            var row = (T)Activator.CreateInstance(typeof(T))!;
            for (var i = 0; i < All.Length; i++)
            {
                All[i].Set(row!, All[i].Read(reader, i));
            }

            return row;
        }
    }
}
