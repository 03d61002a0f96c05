using System.Text.Json.Serialization;
using IntegrationHub.Hub.Operations;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Platform;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.FileProviders;

namespace IntegrationHub.Ops;

/// <summary>Composes the dashboard: settings, the two broker logins, the hub's store read-only, the token gate, pages and API.</summary>
public static class OpsApplication
{
    /// <param name="adjust">What a host of the dashboard changes before it is built (the demo silences its log).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? adjust = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var options = builder.Configuration.GetSection("Ops").Get<OpsOptions>() ?? new OpsOptions();
        if (options.Token.Length < OpsOptions.MinimumTokenLength)
        {
            throw new OpsSettingsException(
                $"Ops:Token is not set or shorter than {OpsOptions.MinimumTokenLength} characters: the dashboard answers only to a token (--Ops:Token=… or environment Ops__Token)");
        }

        var monitoring = BrokerSettings.Development("ops");
        builder.Configuration.GetSection("Broker").Bind(monitoring);
        var retry = BrokerSettings.Development("ops-retry");
        builder.Configuration.GetSection("Retry").Bind(retry);

        builder.WebHost.UseUrls(options.Urls);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(monitoring);
        builder.Services.AddHttpClient<QueueMonitor>(http => QueueMonitor.Configure(http, monitoring));
        builder.Services.AddSingleton(new ParkedMessages(retry));
        var store = StoreEngine.For(options.Store, options.DatabasePath, options.PostgresConnection, "Ops");
        builder.Services.AddSingleton(store);
        builder.Services.AddDbContext<HubDbContext>(db => OpsQueries.UseReadOnlyStore(db, store));
        builder.Services.AddScoped<OpsQueries>();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        adjust?.Invoke(builder);

        var app = builder.Build();
        app.UseTokenGate(options);
        var pages = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot"));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = pages });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = pages });
        app.MapOpsApi(options);
        return app;
    }

    /// <summary>Where a started dashboard listens (the port it was given, or the one it got for port 0).</summary>
    public static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
}
