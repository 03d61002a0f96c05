namespace IntegrationHub.Client;

/// <summary>The hub could not be reached in time. The message may or may not have arrived; publishing it again is safe (the hub de-duplicates by its id).</summary>
public sealed class HubUnavailableException(string message, Exception inner) : Exception(message, inner);
