using IntegrationHub.Cli;

return await HubCommandLine.Run(args);
