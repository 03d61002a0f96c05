using System.Collections.Frozen;
using IntegrationHub.Contracts;

namespace IntegrationHub.Routing;

/// <summary>
/// The joint controllers' default operational need (Art. 26 GDPR arrangement, DOMAIN.md section 3),
/// loaded from <c>routing-policy.json</c>. Immutable once loaded; see <see cref="RoutingPolicyLoader"/>.
/// </summary>
public sealed class RoutingPolicy
{
    private readonly FrozenDictionary<(DataCategory, PartyRole), IReadOnlyList<ContextSelector>> _cells;

    internal RoutingPolicy(
        string version,
        IReadOnlySet<DataCategory> consentOnlyCategories,
        IReadOnlyDictionary<Purpose, PurposeRule> purposes,
        IReadOnlyDictionary<(DataCategory, PartyRole), IReadOnlyList<ContextSelector>> cells)
    {
        Version = version;
        ConsentOnlyCategories = consentOnlyCategories;
        Purposes = purposes;
        _cells = cells.ToFrozenDictionary();
    }

    public string Version { get; }

    /// <summary>Categories that are forwarded only while the customer consents (seed, section 4).</summary>
    public IReadOnlySet<DataCategory> ConsentOnlyCategories { get; }

    public IReadOnlyDictionary<Purpose, PurposeRule> Purposes { get; }

    /// <summary>The contexts in which <paramref name="role"/> needs <paramref name="category"/>.</summary>
    public IReadOnlyList<ContextSelector> Cell(DataCategory category, PartyRole role) => _cells[(category, role)];

    /// <summary>Whether the matrix gives <paramref name="role"/> an operational need for the category in this context.</summary>
    public bool Needs(PartyRole role, DataCategory category, CaptureContext context, ContractKind? kind) =>
        _cells[(category, role)].Any(selector => selector.Matches(context, kind));
}
