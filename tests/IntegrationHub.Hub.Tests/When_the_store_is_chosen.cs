using IntegrationHub.Hub.Persistence;
using Npgsql;

namespace IntegrationHub.Hub.Tests;

/// <summary>Hub:Store picks the engine; PostgreSQL's connection comes from Hub:PostgresConnection or POSTGRES_URL.</summary>
public sealed class When_the_store_is_chosen
{
    [Fact]
    public void Should_keep_sqlite_by_default()
    {
        var store = StoreEngine.For(new HubOptions { DatabasePath = "data/x.db" });

        Assert.IsType<SqliteStoreEngine>(store);
        Assert.Equal("data/x.db", store.Location);
    }

    [Fact]
    public void Should_take_postgres_url_when_no_connection_string_is_configured()
    {
        var settings = new NpgsqlConnectionStringBuilder(PostgresSettings.ConnectionString(null, "Hub", "postgres://hub:pw@127.0.0.1:5433/hubstore"));

        Assert.Equal(("127.0.0.1", 5433, "hubstore", "hub"), (settings.Host, settings.Port, settings.Database, settings.Username));
        Assert.Throws<StoreSettingsException>(() => PostgresSettings.ConnectionString(null, "Hub", "mysql://hub@db/x"));
    }

    [Fact]
    public void Should_turn_a_postgres_url_into_a_connection_string()
    {
        var settings = PostgresSettings.FromUrl("postgres://hub%40ops:p%3Ass@db.example:6543/hubstore?sslmode=verify-full");

        Assert.Equal("db.example", settings.Host);
        Assert.Equal(6543, settings.Port);
        Assert.Equal("hubstore", settings.Database);
        Assert.Equal("hub@ops", settings.Username);
        Assert.Equal("p:ss", settings.Password);
        Assert.Equal(SslMode.VerifyFull, settings.SslMode);
    }

    [Fact]
    public void Should_use_the_configured_connection_with_commits_on_disk_before_they_return()
    {
        var store = StoreEngine.For(new HubOptions { Store = "postgres", PostgresConnection = "Host=db.example;Database=hubstore;Username=hub;Password=secret" });

        Assert.IsType<PostgresStoreEngine>(store);
        Assert.Equal("db.example:5432/hubstore", store.Location);
        var settings = new NpgsqlConnectionStringBuilder(PostgresSettings.ConnectionString("Host=db.example;Database=hubstore", "Hub"));
        Assert.Contains("synchronous_commit=on", settings.Options);
    }

    [Theory]
    [InlineData("mysql", null, "Hub:Store is 'mysql'")]
    [InlineData("postgres", "Host=db.example", "names no host or no database")]
    [InlineData("postgres", "Hots=db.example;Database=x", "Hub:PostgresConnection is not a valid Npgsql connection string")]
    public void Should_refuse_a_store_it_cannot_open_with_a_clear_error(string store, string? connection, string error)
    {
        var refused = Assert.Throws<StoreSettingsException>(() => StoreEngine.For(new HubOptions { Store = store, PostgresConnection = connection }));

        Assert.Contains(error, refused.Message);
        Assert.DoesNotContain("secret", refused.Message);
    }

    [Fact]
    public void Should_name_both_settings_when_postgres_has_no_connection()
    {
        var refused = Assert.Throws<StoreSettingsException>(() => PostgresSettings.ConnectionString(null, "Hub", url: null));
        Assert.Contains("Hub:PostgresConnection", refused.Message);
        Assert.Contains(StoreEngine.UrlVariable, refused.Message);
    }
}
