using IntegrationHub.Hub.Persistence;
using IntegrationHub.Routing;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Hub.Customers;

/// <summary>
/// Which operator company runs a Porsche Zentrum at a given time: the latest announced change that
/// has taken effect, else the operator in parties.json. Routing asks at routing time, so from the
/// moment a change takes effect the dealer's copies go to the new operator, never the old one.
/// </summary>
public sealed class DealerOperators(HubDbContext db, PartyDirectory parties)
{
    public async Task<string?> OperatorOf(string dealerId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var changed = await db.DealerAssignments.AsNoTracking()
            .Where(a => a.DealerId == dealerId && a.EffectiveAt <= at)
            .OrderByDescending(a => a.EffectiveAt).Select(a => a.Operator).FirstOrDefaultAsync(cancellationToken);
        return changed ?? parties.FindDealer(dealerId)?.Operator;
    }
}
