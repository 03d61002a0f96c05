using IntegrationHub.Hub;

namespace IntegrationHub.Cli;

/// <summary>Finds the hub's configuration files wherever the command is started from.</summary>
internal static class RepositoryFiles
{
    /// <summary>Finds a repository file from the working directory or the program's directory upwards.</summary>
    public static string Locate(string relative)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return relative;
    }

    /// <summary>Keeps configured paths that exist; otherwise looks for the default files upwards.</summary>
    public static HubOptions Resolve(HubOptions options)
    {
        if (!File.Exists(options.PolicyPath))
        {
            options.PolicyPath = Locate(Path.Combine("infrastructure", "policy", "routing-policy.json"));
        }

        if (!File.Exists(options.PartiesPath))
        {
            options.PartiesPath = Locate(Path.Combine("infrastructure", "policy", "parties.json"));
        }

        return options;
    }
}
