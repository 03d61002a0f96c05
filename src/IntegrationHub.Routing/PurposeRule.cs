using IntegrationHub.Contracts;

namespace IntegrationHub.Routing;

/// <summary>How a purpose is treated: whether it needs consent, whether anything is forwarded, which objections stop it.</summary>
public sealed record PurposeRule(bool RequiresConsent, bool Forwarded, IReadOnlySet<ObjectionKind> BlockedByObjections);
