using IntegrationHub.Contracts;
using IntegrationHub.Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Hub.Requests;

/// <summary>One group of the statistics: how many distinct customers, never fewer than the threshold.</summary>
public sealed record AggregateGroup(string Day, CaptureContext Context, DataCategory Category, int Customers);

/// <summary>
/// What may go out about data that were only counted: customers per day, context and category. A
/// group with fewer than <see cref="MinimumGroup"/> customers is withheld, because so small a group
/// could point to a person; the result says how many were withheld.
/// </summary>
public sealed record AggregateStatistics(string From, string To, int MinimumGroup, IReadOnlyList<AggregateGroup> Groups, int GroupsWithheld)
{
    public const int Threshold = 10;

    public static async Task<AggregateStatistics> Of(HubDbContext db, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var first = from.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var last = to.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var groups = await db.Sightings.AsNoTracking()
            .Where(s => string.Compare(s.Day, first) >= 0 && string.Compare(s.Day, last) <= 0)
            .GroupBy(s => new { s.Day, s.Context, s.Category })
            .Select(g => new { g.Key.Day, g.Key.Context, g.Key.Category, Customers = g.Count() })
            .ToListAsync(cancellationToken);
        var shown = groups.Where(g => g.Customers >= Threshold)
            .OrderBy(g => g.Day).ThenBy(g => g.Context).ThenBy(g => g.Category)
            .Select(g => new AggregateGroup(g.Day, g.Context, g.Category, g.Customers)).ToList();
        return new AggregateStatistics(first, last, Threshold, shown, groups.Count - shown.Count);
    }
}
