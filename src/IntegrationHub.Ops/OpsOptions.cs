namespace IntegrationHub.Ops;

/// <summary>
/// The dashboard's settings ("Ops" configuration section; environment <c>Ops__Token</c> and so on).
/// The broker logins are the "Broker" section (the <c>ops</c> monitoring user) and "Retry" (the
/// <c>ops-retry</c> user that moves parked messages back), each with Host, Port, Username, Password.
/// </summary>
public sealed class OpsOptions
{
    /// <summary>Every page and API answers only to this token (at least 16 characters); the dashboard does not start without it.</summary>
    public string Token { get; set; } = "";

    /// <summary>The hub's store engine, as the hub's Hub:Store: <c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public string Store { get; set; } = Hub.Persistence.StoreEngine.Sqlite;

    /// <summary>The hub's SQLite store, opened read-only.</summary>
    public string DatabasePath { get; set; } = Path.Combine("data", "hub.db");

    /// <summary>The hub's PostgreSQL store (an Npgsql connection string; empty: POSTGRES_URL), opened read-only.</summary>
    public string? PostgresConnection { get; set; }

    /// <summary>Where the dashboard listens: loopback unless configured otherwise on purpose.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>How many done requests the requests page and its chart show.</summary>
    public int DoneRequests { get; set; } = 200;

    /// <summary>
    /// The hub runs on MassTransit's in-memory transport (the demo): there is no RabbitMQ, so the pages
    /// that read the broker (queues, rates, parked messages) say so instead of asking it.
    /// </summary>
    public bool InMemoryTransport { get; set; }

    /// <summary>What the broker's pages answer when <see cref="InMemoryTransport"/> is set.</summary>
    public const string InMemoryNotice =
        "The demo runs on MassTransit's in-memory transport, in one process: there is no RabbitMQ, so there are no queues to show. "
        + "\"hub demo --broker\" (or RABBITMQ_URL set) plays it on RabbitMQ, and this page then shows the real queues. "
        + "Requests and Customer read the hub's store and work here.";

    public const int MinimumTokenLength = 16;
}

/// <summary>A setting the dashboard cannot start with; the message names the setting.</summary>
public sealed class OpsSettingsException(string message) : Exception(message);
