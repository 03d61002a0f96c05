// Dr. Ing. h.c. F. Porsche AG's worker: consumes company.pag with the broker user pag.
return await IntegrationHub.Workers.WorkerHost.Run(args, IntegrationHub.Contracts.CompanyIds.PorscheAg);
