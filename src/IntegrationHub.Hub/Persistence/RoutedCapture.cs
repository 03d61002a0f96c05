namespace IntegrationHub.Hub.Persistence;

/// <summary>
/// A capture the hub has decided on. A redelivered capture whose deliveries were all handed to the
/// broker is not routed again; one whose sending was interrupted is sent again with the same
/// delivery ids, which the workers de-duplicate.
/// </summary>
public sealed class RoutedCapture
{
    public Guid CaptureId { get; set; }

    public Guid CustomerId { get; set; }

    public DateTimeOffset DecidedAt { get; set; }

    public DateTimeOffset? DispatchedAt { get; set; }
}
