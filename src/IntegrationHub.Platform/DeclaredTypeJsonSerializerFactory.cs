using System.Net.Mime;
using MassTransit;
using MassTransit.Configuration;

namespace IntegrationHub.Platform;

/// <summary>
/// Plain JSON (application/json) whose type is named by the MT-MessageType header. MassTransit would
/// otherwise try a body without that header as every type the endpoint consumes, so such a body is
/// refused before it is read, with a reason, to the error queue.
/// </summary>
public sealed class DeclaredTypeJsonSerializerFactory(int maxMessageBytes) : ISerializerFactory
{
    // Without AnyMessageType, a body is only handed to the consumer of the type its header names.
    private readonly SystemTextJsonRawMessageSerializerFactory _inner =
        new(RawSerializerOptions.AddTransportHeaders | RawSerializerOptions.CopyHeaders);

    public ContentType ContentType => _inner.ContentType;

    public IMessageSerializer CreateSerializer() => _inner.CreateSerializer();

    public IMessageDeserializer CreateDeserializer() => new Deserializer(_inner.CreateDeserializer(), maxMessageBytes);

    private sealed class Deserializer(IMessageDeserializer inner, int maxMessageBytes) : IMessageDeserializer
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

            // Refused before it is read: a body this large would be held in memory whole, and routed whole.
            var length = receiveContext.Body.Length ?? receiveContext.Body.GetBytes().LongLength;
            if (length > maxMessageBytes)
            {
                throw new InvalidMessageException($"message refused: {length} bytes, more than the {maxMessageBytes} bytes a message may have");
            }

            if (!IsJsonObject(receiveContext.Body.GetBytes()))
            {
                throw new InvalidMessageException("message refused: the body must be one JSON object of the type its MT-MessageType header names");
            }

            return inner.Deserialize(receiveContext);
        }

        private static bool IsJsonObject(ReadOnlySpan<byte> body)
        {
            var start = body.TrimStart(" \t\r\n"u8);
            if (start.StartsWith("\uFEFF"u8))
            {
                start = start[3..].TrimStart(" \t\r\n"u8);
            }

            return start.Length > 0 && start[0] == (byte)'{';
        }

        public SerializerContext Deserialize(MessageBody body, Headers headers, Uri? destinationAddress = null) =>
            inner.Deserialize(body, headers, destinationAddress);

        public MessageBody GetMessageBody(string text) => inner.GetMessageBody(text);

        public void Probe(ProbeContext context) => inner.Probe(context);
    }
}
