using IntegrationHub.Contracts;
using IntegrationHub.Hub.Messages;
using MassTransit;

namespace IntegrationHub.Hub.Requests;

/// <summary>The steps of a request's state machine, named for what they do.</summary>
public static class RequestSteps
{
    private static T Use<T>(this ConsumeContext context) where T : class => context.GetServiceOrCreateInstance<T>();

    public static EventActivityBinder<RequestState, OpenRequest> SendToHolders(this EventActivityBinder<RequestState, OpenRequest> binder) =>
        binder.Then(c => c.Use<RequestFanOut>().Start(c.Saga, c.Message));

    public static EventActivityBinder<RequestState, T> RecordAcknowledgement<T>(this EventActivityBinder<RequestState, T> binder,
        Func<T, (Guid CommandId, string Company, ActionReceipt Receipt)> read)
        where T : class =>
        binder.Then(c =>
        {
            var (commandId, company, receipt) = read(c.Message);
            c.Use<RequestFanOut>().Acknowledge(c.Saga, commandId, company, receipt);
        });

    public static EventActivityBinder<RequestState, T> KeepAnswer<T>(this EventActivityBinder<RequestState, T> binder,
        Func<T, (Guid CommandId, string Company, IReadOnlyList<CategoryRecord> Records)> read)
        where T : class =>
        binder.ThenAsync(c =>
        {
            var (commandId, company, records) = read(c.Message);
            return c.Use<RequestFanOut>().Gather(c.Saga, commandId, company, records, c.CancellationToken);
        });

    public static EventActivityBinder<RequestState, ErasureConcluded> CompleteWithErasure(this EventActivityBinder<RequestState, ErasureConcluded> binder) =>
        binder.Then(c => c.Use<RequestFanOut>().Conclude(c.Saga, c.Message));

    /// <summary>The request keeps the customer's keyed hash, never the id, once the customer is erased.</summary>
    public static EventActivityBinder<RequestState, CustomerForgotten> ForgetCustomer(this EventActivityBinder<RequestState, CustomerForgotten> binder) =>
        binder.Then(c =>
        {
            c.Saga.CustomerId = null;
            c.Saga.CustomerHash = c.Message.CustomerHash;
        });

    public static EventActivityBinder<RequestState, ExtendRequestDeadline> ExtendDeadline(this EventActivityBinder<RequestState, ExtendRequestDeadline> binder) =>
        binder.Then(c => c.Use<RequestDeadlines>().Extend(c.Saga, c.Message));

    public static EventActivityBinder<RequestState, RequestDeadlineReached> Escalate(this EventActivityBinder<RequestState, RequestDeadlineReached> binder) =>
        binder.Then(c => c.Use<RequestDeadlines>().Escalate(c.Saga, c.Message));

    /// <summary>Moves the request to Done once it has completed, whichever step completed it.</summary>
    public static EventActivityBinder<RequestState, T> DoneWhenCompleted<T>(this EventActivityBinder<RequestState, T> binder, State done)
        where T : class =>
        binder.If(c => !c.Saga.IsOpen, completed => completed.TransitionTo(done));
}
