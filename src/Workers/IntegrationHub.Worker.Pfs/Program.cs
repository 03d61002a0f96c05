// Porsche Financial Services GmbH's worker (financing, insurance): keeps contract, financing and credit records after an erasure.
using IntegrationHub.Workers;

return await WorkerHost.Run(args, IntegrationHub.Contracts.CompanyIds.FinancialServices, WorkerHost.FinancialServicesRetention);
