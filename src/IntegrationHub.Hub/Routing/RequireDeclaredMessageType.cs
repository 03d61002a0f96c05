using IntegrationHub.Platform;
using MassTransit;

namespace IntegrationHub.Hub.Routing;

/// <summary>
/// A plain JSON body says what it is only through the MT-MessageType header. Without it MassTransit
/// would try the body as every type the endpoint consumes, so the hub refuses it instead.
/// </summary>
public sealed class RequireDeclaredMessageType : IFilter<ConsumeContext>
{
    public Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        var receive = context.ReceiveContext;
        if (receive.ContentType?.MediaType == "application/json" &&
            !receive.TransportHeaders.TryGetHeader(BrokerNames.MessageTypeHeader, out _))
        {
            throw new InvalidMessageException($"message refused: a plain JSON body needs the {BrokerNames.MessageTypeHeader} header naming its type");
        }

        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("requireDeclaredMessageType");
}
