using IntegrationHub.Ops;

WebApplication dashboard;
try
{
    dashboard = OpsApplication.Build(args);
}
catch (OpsSettingsException refused)
{
    Console.Error.WriteLine("hub-ops: " + refused.Message);
    return 64;
}

await dashboard.RunAsync();
return 0;
