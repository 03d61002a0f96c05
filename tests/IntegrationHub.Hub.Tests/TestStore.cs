namespace IntegrationHub.Hub.Tests;

/// <summary>The engine a test's hub store runs on (Hub:Store); PostgreSQL tests each get a database of their own.</summary>
public enum TestStore
{
    Sqlite,
    Postgres,
}
