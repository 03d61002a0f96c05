namespace IntegrationHub.Hub;

/// <summary>Where the hub finds its policy, its party directory and its database ("Hub" configuration section).</summary>
public sealed class HubOptions
{
    public string PolicyPath { get; set; } = Path.Combine("infrastructure", "policy", "routing-policy.json");

    public string PartiesPath { get; set; } = Path.Combine("infrastructure", "policy", "parties.json");

    /// <summary>
    /// Which database holds the hub's store: <c>sqlite</c> (the default: the file at <see cref="DatabasePath"/>,
    /// embedded, one hub process) or <c>postgres</c> (<see cref="PostgresConnection"/>, for several hub
    /// processes on one database that is operated and backed up on its own). See <see cref="Persistence.StoreEngine"/>.
    /// </summary>
    public string Store { get; set; } = Persistence.StoreEngine.Sqlite;

    /// <summary>The SQLite file of the store when <see cref="Store"/> is <c>sqlite</c>.</summary>
    public string DatabasePath { get; set; } = Path.Combine("data", "hub.db");

    /// <summary>
    /// The Npgsql connection string of the store when <see cref="Store"/> is <c>postgres</c>
    /// (Host=…;Database=…;Username=…;Password=…). When empty, the environment variable POSTGRES_URL
    /// (postgres://user:password@host:port/database) is used.
    /// </summary>
    public string? PostgresConnection { get; set; }

    /// <summary>
    /// Messages of one customer are handled one at a time, customers in parallel up to this many; the
    /// store's writer commits whatever of them is ready in one transaction (<see cref="UnitOfWork.HubWriter"/>).
    /// </summary>
    public int Partitions { get; set; } = 64;

    /// <summary>
    /// On: each message goes from hub.inbound through the sequencer to its customer's partition queue,
    /// each partition queue's messages are taken one at a time, and the living hubs on one store
    /// (PostgreSQL for several) divide the partition queues. This keeps each customer's messages in the
    /// order they were taken from hub.inbound, with one hub or several; several hub processes need it,
    /// and it is the default because docs/amqp-interface.md promises that order.
    /// Off: this hub consumes hub.inbound itself, many messages at once, one broker hop less (about
    /// 10 % more captures a second); but MassTransit starts the messages it holds concurrently, and two
    /// messages of one customer that arrive close together may then be handled in either order
    /// (When_three_hubs_share_the_stream saw 1 to 3 of 120 customers). A second hub on hub.inbound
    /// waits as a standby.
    /// </summary>
    public bool Partitioned { get; set; } = true;

    /// <summary>How often a hub of several renews its membership and looks who else runs.</summary>
    public TimeSpan MemberBeat { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A hub of several that has not renewed its membership for this long has gone; the others take its partitions.</summary>
    public TimeSpan MemberTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a hub that gave a partition queue up waits, after nothing of it is in hand and its channels
    /// are closed, before another hub may claim it: the broker's own time to put the closed channels'
    /// messages back (see HubPartitions.FinishReleasing).
    /// </summary>
    public TimeSpan PartitionHandOverGrace { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a company has to acknowledge a command before it is escalated.</summary>
    public TimeSpan AcknowledgementDeadline { get; set; } = TimeSpan.FromHours(72);

    /// <summary>How long a dealer takeover may take before it is escalated to operations.</summary>
    public TimeSpan TakeoverDeadline { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long answers gathered for an access or portability request (with the customer's values) stay
    /// at the hub when nobody writes the report or package; writing it deletes them at once.
    /// </summary>
    public TimeSpan GatheredAnswerRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the sweeper looks for deadlines that have passed.</summary>
    /// <summary>How often the metrics read the store forward (hub.captures.routed and the gauges lag at most this much).</summary>
    public TimeSpan MetricsInterval { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan DeadlineSweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Failed sends after which an outbox message is parked for operators (`hub outbox`). With the
    /// default back-off (5 s doubling up to 5 minutes), ten attempts span about 20 minutes: long enough
    /// to ride out a broker restart, short enough that a real fault is seen the same day.
    /// </summary>
    public int OutboxMaxAttempts { get; set; } = 10;

    /// <summary>The wait after an outbox message's first failed send; it doubles with each further failure.</summary>
    public TimeSpan OutboxFirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The key of the tombstones' customer hash. The default is for development; production sets
    /// Hub__TombstoneKey from its secret store and never changes it (old tombstones would stop matching).
    /// </summary>
    public string TombstoneKey { get; set; } = "integration-hub-development-tombstone-key";

    /// <summary>
    /// Fault injection for the crash tests only: the hub kills its own process right after committing
    /// the first message of this type, before the outbox sends what it decided. Never set in production.
    /// </summary>
    public string? KillAfterCommitOf { get; set; }
}
