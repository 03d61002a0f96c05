using MassTransit;

namespace IntegrationHub.Hub.Sagas;

/// <summary>What the hub's repository needs of each of its sagas: the version it counts and the state it indexes.</summary>
public interface IHubSaga : SagaStateMachineInstance, ISagaVersion
{
    string CurrentState { get; }
}
