// Porsche Deutschland GmbH's worker: consumes company.pd with the broker user pd.
return await IntegrationHub.Workers.WorkerHost.Run(args, IntegrationHub.Contracts.CompanyIds.PorscheDeutschland);
