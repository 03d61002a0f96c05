// The worker of one dealer operator company, named by configuration: --Worker:Company=OP-NORD.
return await IntegrationHub.Workers.WorkerHost.Run(args);
