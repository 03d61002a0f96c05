namespace IntegrationHub.Workers;

/// <summary>What a company must respect about a customer, whatever data it holds: restriction and objections.</summary>
public sealed class CustomerStanding
{
    public Guid CustomerId { get; set; }

    public bool Restricted { get; set; }

    /// <summary>Art. 21(1) GDPR: no needs analysis.</summary>
    public bool NoNeedsAnalysis { get; set; }

    /// <summary>Art. 21(2) GDPR: no direct marketing.</summary>
    public bool NoDirectMarketing { get; set; }

    /// <summary>Seed, section 4: no personalised contact after a withdrawal of consent.</summary>
    public bool NoPersonalisedContact { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
