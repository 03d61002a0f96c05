using IntegrationHub.Ops;

await OpsApplication.Build(args).RunAsync();
