using IntegrationHub.Contracts;

namespace IntegrationHub.Routing;

/// <summary>One entry of a matrix cell: every context ("*"), one context, or one contract kind of a vehicle contract.</summary>
public sealed record ContextSelector(CaptureContext? Context, ContractKind? Kind)
{
    public static readonly ContextSelector Any = new(null, null);

    public bool Matches(CaptureContext context, ContractKind? kind) =>
        (Context is null || Context == context) && (Kind is null || Kind == kind);

    public override string ToString() =>
        Context is null ? "*" : Kind is null ? Context.Value.ToString() : $"{Context}:{Kind}";

    /// <summary>Parses "*", "Workshop" or "VehicleContract:Leasing"; returns an error text instead of throwing.</summary>
    public static ContextSelector? TryParse(string text, out string? error)
    {
        error = null;
        if (text == "*")
        {
            return Any;
        }

        var parts = text.Split(':');
        // Names only: Enum.TryParse alone would also take "2" as a context.
        if (parts.Length > 2 || !Enum.GetNames<CaptureContext>().Contains(parts[0]) || !Enum.TryParse<CaptureContext>(parts[0], out var context))
        {
            error = $"unknown context '{parts[0]}' (known: *, {string.Join(", ", Enum.GetNames<CaptureContext>())})";
            return null;
        }

        if (parts.Length == 1)
        {
            return new ContextSelector(context, null);
        }

        if (context != CaptureContext.VehicleContract)
        {
            error = $"context '{context}' has no contract kinds; only VehicleContract:<kind> does";
            return null;
        }

        if (!Enum.GetNames<ContractKind>().Contains(parts[1]) || !Enum.TryParse<ContractKind>(parts[1], out var kind))
        {
            error = $"unknown contract kind '{parts[1]}' (known: {string.Join(", ", Enum.GetNames<ContractKind>())})";
            return null;
        }

        return new ContextSelector(context, kind);
    }
}
