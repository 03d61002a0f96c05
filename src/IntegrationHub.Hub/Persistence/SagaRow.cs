namespace IntegrationHub.Hub.Persistence;

/// <summary>One saga instance as stored: its state as JSON, with the state name and version as columns.</summary>
public sealed class SagaRow
{
    public Guid CorrelationId { get; set; }

    public required string SagaType { get; set; }

    public required string CurrentState { get; set; }

    /// <summary>The concurrency token: SQLite has no row versions, so we count writes ourselves.</summary>
    public int Version { get; set; }

    public required string Data { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
