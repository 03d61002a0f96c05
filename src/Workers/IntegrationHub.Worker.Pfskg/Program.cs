// Porsche Financial Services GmbH & Co. KG's worker (leasing, rental): keeps contract, financing and credit records after an erasure.
using IntegrationHub.Workers;

return await WorkerHost.Run(args, IntegrationHub.Contracts.CompanyIds.FinancialServicesKg, WorkerHost.FinancialServicesRetention);
