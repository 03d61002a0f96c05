using RabbitMQ.Client;

namespace IntegrationHub.Platform;

/// <summary>
/// Moves a message a company cannot carry out to the company's own error queue, unchanged, with the
/// reason in <c>MT-Fault-Message</c> (as the hub's error queue has it), publisher-confirmed and
/// mandatory, so that a missing error queue is an error and not a silent loss.
/// </summary>
/// <remarks>
/// Why no fault event: MassTransit would publish <c>Fault&lt;T&gt;</c> and <c>ReceiveFault</c> to
/// exchanges a company may not write to (and must not: the hub's error handling is not the
/// company's to trigger). The broker refused it with ACCESS_REFUSED, which closes the channel, so the
/// same message came first again after every reconnect and blocked the queue. Granting the permission
/// would let every company publish into exchanges the hub and operations listen to; parking the
/// message in the company's own error queue needs no new right and keeps the reason with the message.
/// </remarks>
public sealed class ErrorQueueParking(IConnection connection, CompanyQueue queue) : IAsyncDisposable
{
    private const int MaximumReasonLength = 1_000;
    private IChannel? _channel;

    public async Task Park(IReadOnlyBasicProperties original, ReadOnlyMemory<byte> body, string reason, CancellationToken cancellationToken)
    {
        var properties = new BasicProperties(original)
        {
            // The broker accepts only our own login as user_id; the original sender stays in a header.
            UserId = queue.Broker.Username,
            Headers = new Dictionary<string, object?>(original.Headers ?? new Dictionary<string, object?>())
            {
                ["MT-Fault-Message"] = reason,
                ["MT-Fault-Timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
                ["MT-Fault-InputAddress"] = queue.Name,
                [OriginalUserIdHeader] = original.UserId ?? "",
            },
        };
        try
        {
            _channel ??= await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
            await _channel.BasicPublishAsync(queue.ErrorQueue, "", mandatory: true, properties, body, cancellationToken);
        }
        catch
        {
            // A refused or returned publish may have closed the channel: the next message gets a fresh one.
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>The user_id the parked message arrived with (empty when it had none).</summary>
    public const string OriginalUserIdHeader = "x-original-user-id";

    /// <summary>The reason for the error queue: the exception's type and message, which name fields and ids, never values.</summary>
    public static string Reason(Exception exception)
    {
        var cause = exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : exception;
        var text = $"{cause.GetType().Name}: {cause.Message}";
        return text.Length <= MaximumReasonLength ? text : text[..MaximumReasonLength];
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null)
        {
            await _channel.DisposeAsync();
            _channel = null;
        }
    }
}
