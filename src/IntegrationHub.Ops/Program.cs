using IntegrationHub.Ops;

WebApplication dashboard;
try
{
    dashboard = OpsApplication.Build(args);
}
catch (Exception refused) when (refused is OpsSettingsException or IntegrationHub.Hub.Persistence.StoreSettingsException)
{
    Console.Error.WriteLine("hub-ops: " + refused.Message);
    return 64;
}

await dashboard.RunAsync();
return 0;
