using System.Net.Mime;
using MassTransit;
using MassTransit.Configuration;

namespace IntegrationHub.Platform;

/// <summary>
/// Plain JSON (application/json) whose type is named by the MT-MessageType header. MassTransit would
/// otherwise try a body without that header as every type the endpoint consumes, so such a body is
/// refused before it is read, with a reason, to the error queue.
/// </summary>
public sealed class DeclaredTypeJsonSerializerFactory : ISerializerFactory
{
    // Without AnyMessageType, a body is only handed to the consumer of the type its header names.
    private readonly SystemTextJsonRawMessageSerializerFactory _inner =
        new(RawSerializerOptions.AddTransportHeaders | RawSerializerOptions.CopyHeaders);

    public ContentType ContentType => _inner.ContentType;

    public IMessageSerializer CreateSerializer() => _inner.CreateSerializer();

    public IMessageDeserializer CreateDeserializer() => new Deserializer(_inner.CreateDeserializer());

    private sealed class Deserializer(IMessageDeserializer inner) : IMessageDeserializer
    {
        public ContentType ContentType => inner.ContentType;

        public ConsumeContext Deserialize(ReceiveContext receiveContext)
        {
            if (!receiveContext.TransportHeaders.TryGetHeader(BrokerNames.MessageTypeHeader, out var type) ||
                string.IsNullOrWhiteSpace(type?.ToString()))
            {
                throw new InvalidMessageException(
                    $"message refused: a plain JSON body needs the {BrokerNames.MessageTypeHeader} header naming its type, e.g. {BrokerNames.MessageUrn<IntegrationHub.Contracts.CustomerDataCaptured>()}");
            }

            return inner.Deserialize(receiveContext);
        }

        public SerializerContext Deserialize(MessageBody body, Headers headers, Uri? destinationAddress = null) =>
            inner.Deserialize(body, headers, destinationAddress);

        public MessageBody GetMessageBody(string text) => inner.GetMessageBody(text);

        public void Probe(ProbeContext context) => inner.Probe(context);
    }
}
