using IntegrationHub.Contracts;

namespace IntegrationHub.Workers;

/// <summary>One company worker's configuration ("Worker" section).</summary>
public sealed class WorkerOptions
{
    /// <summary>PAG, PD, PFS, PFSKG, PSM or a dealer operator id such as OP-NORD.</summary>
    public string Company { get; set; } = "";

    public string DatabasePath { get; set; } = "";

    /// <summary>The most messages of the company's queue handled in one store transaction (see <see cref="CompanyBatch"/>).</summary>
    public ushort BatchSize { get; set; } = 128;

    /// <summary>
    /// The key of the hash under which erased customers are remembered (HMAC-SHA256), so the store
    /// cannot be matched against a list of customer ids without it. Production sets
    /// Worker__CustomerHashKey from its secret store and never changes it (old entries would stop matching).
    /// </summary>
    public string CustomerHashKey { get; set; } = "integration-hub-development-worker-key";

    /// <summary>
    /// Categories this company must keep after an erasure, with the legal basis (Art. 17(3)(b) GDPR),
    /// for example PFS: Contract under § 257 HGB and § 147 AO. Kept records are restricted.
    /// </summary>
    public Dictionary<DataCategory, string> Retention { get; set; } = [];
}
