using System.Security.Cryptography;
using System.Text;

namespace IntegrationHub.Hub.Customers;

/// <summary>
/// The keyed hash that stands for a customer once the customer is erased: in the tombstone, the audit
/// trail and the requests. Keyed, so that it cannot be matched against a list of known customer ids
/// without the hub's key.
/// </summary>
public sealed class CustomerHashing(HubOptions options)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.TombstoneKey);

    public string HashOf(Guid customerId) => Convert.ToHexString(HMACSHA256.HashData(_key, customerId.ToByteArray())).ToLowerInvariant();
}
