using IntegrationHub.Contracts;

namespace IntegrationHub.Workers;

/// <summary>
/// A command already carried out, with its receipt (counts, outcomes, legal bases, digest) and never
/// the values: a repeat changes nothing and gets the same receipt, and a repeated access, portability
/// or hand-over is answered from what the store holds at the time (DOMAIN.md section 6.2: after a
/// hand-over the former operator holds nothing of the records, answers included).
/// </summary>
public sealed class AnsweredCommand
{
    public Guid CommandId { get; set; }

    /// <summary>The command's type name, for example EraseCustomerData.</summary>
    public required string Command { get; set; }

    public required string Digest { get; set; }

    public DateTimeOffset CompletedAt { get; set; }

    public DateTimeOffset AnsweredAt { get; set; }

    public List<AnsweredOutcome> Outcomes { get; set; } = [];

    public static AnsweredCommand Of(Guid commandId, string command, ActionReceipt receipt, DateTimeOffset answeredAt) => new()
    {
        CommandId = commandId, Command = command, Digest = receipt.Digest, CompletedAt = receipt.CompletedAt, AnsweredAt = answeredAt,
        Outcomes = receipt.Outcomes
            .Select(o => new AnsweredOutcome { Category = o.Category, Outcome = o.Outcome, RecordCount = o.RecordCount, LegalBasis = o.LegalBasis }).ToList(),
    };

    public ActionReceipt Receipt() => new()
    {
        Outcomes = Outcomes.OrderBy(o => o.Category).ThenBy(o => o.Outcome)
            .Select(o => new CategoryOutcome { Category = o.Category, Outcome = o.Outcome, RecordCount = o.RecordCount, LegalBasis = o.LegalBasis }).ToList(),
        Digest = Digest,
        CompletedAt = CompletedAt,
    };
}

/// <summary>One line of a kept receipt: a category, what was done with it, how many records, and the legal basis of anything kept.</summary>
public sealed class AnsweredOutcome
{
    public DataCategory Category { get; set; }

    public OutcomeKind Outcome { get; set; }

    public int RecordCount { get; set; }

    public string? LegalBasis { get; set; }
}
