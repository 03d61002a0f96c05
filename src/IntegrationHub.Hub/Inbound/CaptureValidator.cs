using IntegrationHub.Platform;
using IntegrationHub.Contracts;
using IntegrationHub.Routing;

namespace IntegrationHub.Hub.Inbound;

/// <summary>Checks a capture before anything is decided, so a bad capture is refused whole and never partly routed.</summary>
public sealed class CaptureValidator(PartyDirectory parties)
{
    /// <param name="publisher">Who published the capture, as far as the transport vouches for it.</param>
    public void Validate(CustomerDataCaptured capture, PublisherIdentity publisher)
    {
        var problems = new List<string>();
        if (capture.CaptureId == Guid.Empty)
        {
            problems.Add("captureId is missing");
        }

        if (capture.CustomerId == Guid.Empty)
        {
            problems.Add("customerId is missing");
        }

        if (parties.FindCompany(capture.SourceCompany ?? "") is null)
        {
            problems.Add("sourceCompany is not a known company");
        }
        else if (publisher.Problem(capture.SourceCompany!) is { } problem)
        {
            problems.Add(problem);
        }

        if (capture.DealerId is not null && parties.FindDealer(capture.DealerId) is null)
        {
            problems.Add("dealerId is not a known Porsche Zentrum");
        }

        if (!Enum.IsDefined(capture.Context))
        {
            problems.Add("context is not a known context");
        }
        else if (capture.Context == CaptureContext.VehicleContract && capture.ContractKind is null)
        {
            problems.Add("contractKind is required when context is VehicleContract");
        }
        else if (capture.Context != CaptureContext.VehicleContract && capture.ContractKind is not null)
        {
            problems.Add("contractKind is only allowed when context is VehicleContract");
        }

        if (capture.ContractKind is { } kind && !Enum.IsDefined(kind))
        {
            problems.Add("contractKind is not a known contract kind");
        }

        if (!Enum.IsDefined(capture.Purpose))
        {
            problems.Add("purpose is not a known purpose");
        }

        if (capture.Data is null || capture.Data.Count == 0)
        {
            problems.Add("data holds no category");
        }
        else
        {
            if (capture.Data.Keys.Any(category => !Enum.IsDefined(category)))
            {
                problems.Add("data holds an unknown category");
            }

            if (capture.Data.Values.Any(fields => fields is null))
            {
                problems.Add("data holds a category without fields");
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidMessageException("capture refused: " + string.Join("; ", problems));
        }
    }
}
