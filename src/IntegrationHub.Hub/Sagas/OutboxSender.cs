using IntegrationHub.Hub.Persistence;
using MassTransit;

namespace IntegrationHub.Hub.Sagas;

/// <summary>
/// One outbox row onto the bus, with a bounded wait for the broker's confirm (ARCHITECTURE.md: a
/// lost confirm must not hang the hub). Never throws for a failed send: the dispatcher records the
/// failure on the row.
/// </summary>
internal static class OutboxSender
{
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(15);

    // A send that reaches no queue (a company queue deleted by mistake) would otherwise be confirmed
    // by RabbitMQ and lost; as mandatory it comes back as MessageReturnedException, so the row is
    // retried and in the end parked where operators see it. Events too: every hub.events exchange is
    // bound to ops.events by the definitions, so an event that reaches no queue means that binding is
    // gone. Other transports have no such flag (the in-memory one of the tests).
    private static readonly IPipe<SendContext> Mandatory = Pipe.Execute<SendContext>(MakeMandatory);

    private static readonly IPipe<PublishContext> MandatoryPublish = Pipe.Execute<PublishContext>(MakeMandatory);

    private static void MakeMandatory(SendContext context)
    {
        if (context.TryGetPayload(out RabbitMqSendContext? rabbit))
        {
            rabbit.Mandatory = true;
        }
    }

    public static async Task<OutboxFailure?> TrySend(IBus bus, OutboxRow row, CancellationToken cancellationToken)
    {
        var read = OutboxMessage.Read(row);
        if (read.Unreadable is { } unreadable)
        {
            return new OutboxFailure(unreadable, Hopeless: true);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SendTimeout);
        try
        {
            if (row.Destination is null)
            {
                await bus.Publish(read.Message!, read.Type!, MandatoryPublish, timeout.Token);
            }
            else
            {
                var endpoint = await bus.GetSendEndpoint(new Uri(row.Destination));
                await endpoint.Send(read.Message!, read.Type!, Mandatory, timeout.Token);
            }

            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return OutboxFailure.WhenStopping;
        }
        catch (OperationCanceledException)
        {
            return new OutboxFailure($"not confirmed within {SendTimeout.TotalSeconds:0} s");
        }
        catch (Exception ex)
        {
            return new OutboxFailure($"{ex.GetType().Name}: {ex.Message}");
        }
    }
}

/// <summary>Why a row was not sent; Hopeless when no retry can help, Stopped when the hub was stopping and the row was not really tried.</summary>
internal sealed record OutboxFailure(string Reason, bool Hopeless = false, bool Stopped = false)
{
    public static readonly OutboxFailure WhenStopping = new("hub stopping", Stopped: true);
}
