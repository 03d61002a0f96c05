using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.IntegrationTests.Faults;

/// <summary>Reads a worker's store from outside the worker process, while it runs.</summary>
public sealed class CompanyStoreReader(string path)
{
    public async Task<List<(Guid Customer, string Category)>> Records()
    {
        if (!File.Exists(path))
        {
            return [];
        }

        await using var store = Workers.CompanyStore.Open(path);
        return (await store.Records.AsNoTracking().Select(r => new { r.CustomerId, r.Category }).ToListAsync())
            .Select(r => (r.CustomerId, r.Category.ToString())).ToList();
    }
}
