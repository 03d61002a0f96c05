namespace IntegrationHub.Platform;

/// <summary>
/// A message the hub refuses as it is: retrying cannot help, so it goes straight to the error queue
/// with this reason and a fault event. The reason names fields, never their values.
/// </summary>
public sealed class InvalidMessageException(string reason) : Exception(reason);
