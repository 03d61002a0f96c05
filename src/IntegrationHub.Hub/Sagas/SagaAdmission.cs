using System.Security.Cryptography;
using System.Text;
using IntegrationHub.Hub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub.Sagas;

/// <summary>
/// Keeps erased customers erased (Art. 17 GDPR): a message for a customer with a tombstone is not
/// handed to the saga, so it neither routes anything nor recreates the customer. It is counted on
/// the tombstone, which operations can see.
/// </summary>
public sealed class SagaAdmission(HubOptions options, TimeProvider clock, ILogger<SagaAdmission> logger)
{
    public string HashOf(Guid customerId)
    {
        // Keyed, so that a tombstone cannot be matched against a list of known customer ids
        // without the hub's key.
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(options.TombstoneKey));
        return Convert.ToHexString(hmac.ComputeHash(customerId.ToByteArray())).ToLowerInvariant();
    }

    public async Task<bool> Admit(HubDbContext db, Guid customerId, string messageType, CancellationToken cancellationToken)
    {
        var hash = HashOf(customerId);
        var tombstone = await db.Tombstones.SingleOrDefaultAsync(t => t.CustomerHash == hash, cancellationToken);
        if (tombstone is null)
        {
            return true;
        }

        tombstone.QuarantinedMessages++;
        tombstone.LastQuarantinedAt = clock.GetUtcNow();
        logger.LogWarning("{MessageType} for an erased customer quarantined (tombstone {Tombstone}, {Count} so far)",
            messageType, hash[..12], tombstone.QuarantinedMessages);
        return false;
    }
}
