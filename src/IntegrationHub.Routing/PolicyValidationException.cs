namespace IntegrationHub.Routing;

/// <summary>A configuration file (routing policy, party directory) is wrong; the message names the file and the field.</summary>
public sealed class PolicyValidationException(string message) : Exception(message);
