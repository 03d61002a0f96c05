// Porsche Sales & Marketplace GmbH's worker: consumes company.psm with the broker user psm.
return await IntegrationHub.Workers.WorkerHost.Run(args, IntegrationHub.Contracts.CompanyIds.SalesMarketplace);
