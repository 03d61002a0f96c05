using IntegrationHub.Contracts;

namespace IntegrationHub.Workers.Tests;

/// <summary>A dealer operator's worker (OP-NORD) on the harness, with one customer and the erasure the specifications send.</summary>
public abstract class OperatorSpecification : IAsyncLifetime
{
    protected Guid Customer { get; } = Guid.NewGuid();

    protected WorkerHarness Operator { get; private set; } = null!;

    public async Task InitializeAsync() => Operator = await WorkerHarness.Start("OP-NORD");

    public async Task DisposeAsync() => await Operator.DisposeAsync();

    /// <summary>Erases the customer's data (or, with a Zentrum, that Zentrum's records) and waits for the answer.</summary>
    protected async Task<CustomerDataErased> Erase(ErasureReason reason, string? dealerId = null)
    {
        var erase = new EraseCustomerData
        {
            CommandId = Guid.NewGuid(), RequestId = Guid.NewGuid(), CustomerId = Customer, Recipient = "OP-NORD",
            Categories = [DataCategory.ContactIdentification, DataCategory.VehicleHistory], AcknowledgeBy = DateTimeOffset.UtcNow.AddDays(3),
            Reason = reason, DealerId = dealerId,
        };
        await Operator.Send(erase);
        return Assert.Single(await Operator.Answers<CustomerDataErased>(erase.CommandId, 1));
    }
}
