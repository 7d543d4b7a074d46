using System.CommandLine;
using System.Globalization;
using FastScim.Administration;
using FastScim.Core.Bulk;
using FastScim.Transfer;

namespace FastScim.Commands;

/// <summary><c>fastscim import FILE --tenant NAME</c>: the migration path from another identity provider or FastScim.</summary>
internal static class ImportCommand
{
    /// <summary>How many failures the report lists one by one.</summary>
    private const int Listed = 10;

    public static Command Create(TextWriter output, TextWriter error, bool errorIsTerminal)
    {
        var file = new Argument<string>("FILE")
        {
            Description = "A JSON file of SCIM Users and Groups: a ListResponse (as 'fastscim export' writes) or a JSON array of resources.",
        };
        var tenant = CommonOptions.Tenant();
        var data = CommonOptions.Data();
        var command = new Command("import", "Create the Users, then the Groups, of a file in a tenant through SCIM Bulk requests; members and managers follow the new ids. Exit code 1 when any failed.")
        {
            file,
            tenant,
            data,
        };
        command.SetAction(async (parsed, _) =>
        {
            var name = parsed.GetValue(tenant)!;
            ImportPlan? plan = null;
            var exit = await Administer.RunAsync(parsed.GetValue(data)!, error, async admin =>
            {
                await Administer.RequireTenantAsync(admin, name).ConfigureAwait(false);
                var progress = errorIsTerminal ? new ProgressBar(error) : null;
                plan = await new TenantImport(admin, name, progress).RunAsync(parsed.GetValue(file)!).ConfigureAwait(false);
            }).ConfigureAwait(false);
            if (plan is null)
            {
                return exit;
            }

            await ReportAsync(output, name, plan).ConfigureAwait(false);
            return plan.Failures.Count > 0 ? 1 : 0;
        });
        return command;
    }

    /// <summary>Created, failed and skipped, then what failed (with the server's SCIM error) and what was skipped.</summary>
    private static async Task ReportAsync(TextWriter output, string tenant, ImportPlan plan)
    {
        string Of(ImportKind kind, string what) => string.Create(CultureInfo.InvariantCulture, $"{plan.Created(kind)} of {plan.Declared(kind)} {what}");
        var failed = plan.Failed(ImportKind.User) + plan.Failed(ImportKind.Group);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Created {Of(ImportKind.User, "users")} and {Of(ImportKind.Group, "groups")} in '{tenant}'; {failed} failed, {plan.Skipped.Count} skipped.")).ConfigureAwait(false);
        await ListAsync(output, "Failed, or a member or manager not kept", plan.Failures).ConfigureAwait(false);
        await ListAsync(output, "Skipped", plan.Skipped).ConfigureAwait(false);
    }

    private static async Task ListAsync(TextWriter output, string what, IReadOnlyList<ImportProblem> problems)
    {
        if (problems.Count == 0)
        {
            return;
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{what} ({problems.Count}):")).ConfigureAwait(false);
        foreach (var problem in problems.Take(Listed))
        {
            await output.WriteLineAsync("  " + problem).ConfigureAwait(false);
        }

        if (problems.Count > Listed)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  … and {problems.Count - Listed} more.")).ConfigureAwait(false);
        }
    }
}
