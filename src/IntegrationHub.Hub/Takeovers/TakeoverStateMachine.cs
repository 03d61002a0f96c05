using IntegrationHub.Hub.Messages;
using MassTransit;

namespace IntegrationHub.Hub.Takeovers;

/// <summary>
/// One instance per dealer takeover (the takeover id is the correlation id). Started exactly once,
/// whoever notices first that the takeover took effect; complete when every customer of its snapshot
/// is handed over or gone; escalated when its deadline passes first.
/// </summary>
public sealed class TakeoverStateMachine : MassTransitStateMachine<TakeoverState>
{
    public TakeoverStateMachine()
    {
        InstanceState(x => x.CurrentState);

        Event(() => Started, e => e.CorrelateById(m => m.Message.TakeoverId));
        Event(() => CustomerHandedOver, e =>
        {
            e.CorrelateById(m => m.Message.TakeoverId);
            e.OnMissingInstance(m => m.Discard());
        });
        Event(() => DeadlineReached, e =>
        {
            e.CorrelateById(m => m.Message.TakeoverId);
            e.OnMissingInstance(m => m.Discard());
        });

        Initially(
            When(Started).ThenAsync(c => Steps(c).Start(c.Saga, c.Message, c.CancellationToken)).TransitionTo(HandingOver).CompleteWhenDone(Done));

        During(HandingOver,
            When(CustomerHandedOver).ThenAsync(c => Steps(c).Count(c.Saga, c.Message, c.CancellationToken)).CompleteWhenDone(Done),
            When(DeadlineReached).ThenAsync(c => Steps(c).Escalate(c.Saga, c.CancellationToken)));

        During(Done,
            Ignore(CustomerHandedOver),
            Ignore(DeadlineReached));

        DuringAny(
            Ignore(Started));
    }

    private static TakeoverSteps Steps(ConsumeContext context) => context.GetServiceOrCreateInstance<TakeoverSteps>();

    public State HandingOver { get; private set; } = null!;

    public State Done { get; private set; } = null!;

    public Event<StartTakeover> Started { get; private set; } = null!;

    public Event<CustomerHandedOver> CustomerHandedOver { get; private set; } = null!;

    public Event<TakeoverDeadlineReached> DeadlineReached { get; private set; } = null!;
}

internal static class TakeoverBinders
{
    public static EventActivityBinder<TakeoverState, T> CompleteWhenDone<T>(this EventActivityBinder<TakeoverState, T> binder, State done)
        where T : class =>
        binder.If(c => c.Saga.CompletedAt is not null, completed => completed.TransitionTo(done));
}
