using MassTransit;

namespace IntegrationHub.Hub.Routing;

/// <summary>
/// Checks a message before the saga sees it, so a refusal reaches the error queue and the fault event
/// with its own reason, and nothing about the customer is loaded, created or changed.
/// </summary>
public sealed class MessageCheck<T>(Action<ConsumeContext<T>> check) : IFilter<ConsumeContext<T>>
    where T : class
{
    public Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        check(context);
        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("messageCheck");
}
