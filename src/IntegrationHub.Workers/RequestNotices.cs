using IntegrationHub.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Workers;

/// <summary>
/// The hub tells the company that received a request when it is done or overdue. The worker stands for
/// the company's system here: it takes the notice and logs it (ids and status only), so that staff who
/// answered the customer can follow up.
/// </summary>
public sealed class RequestNotices(CompanyWorker worker, ILogger<RequestNotices> logger) : IConsumer<RequestStatusChanged>
{
    public Task Consume(ConsumeContext<RequestStatusChanged> context)
    {
        var notice = context.Message;
        logger.LogInformation("{Company}: {Kind} request {RequestId} received here is {Status}{Waiting}", worker.CompanyId, notice.RequestKind, notice.RequestId,
            notice.Status, notice.WaitingFor.Count == 0 ? "" : "; waiting for " + string.Join(", ", notice.WaitingFor));
        return Task.CompletedTask;
    }
}
