namespace IntegrationHub.Workers;

/// <summary>A command already carried out, with the answer given, so a repeat changes nothing and gets the same answer.</summary>
public sealed class AnsweredCommand
{
    public Guid CommandId { get; set; }

    public required string AnswerType { get; set; }

    public required string Answer { get; set; }

    public DateTimeOffset AnsweredAt { get; set; }
}
