using FastScim.Administration;
using FastScim.Storage.Tenancy;

namespace FastScim.Commands;

/// <summary>Runs one administration step and turns its refusal into a message and exit code 1.</summary>
internal static class Administer
{
    public static async Task<int> RunAsync(string dataDirectory, TextWriter error, Func<ITenantAdministration, Task> step)
    {
        try
        {
            var admin = await TenantAdministration.ConnectAsync(dataDirectory, error).ConfigureAwait(false);
            await using (admin.ConfigureAwait(false))
            {
                await step(admin).ConfigureAwait(false);
            }

            return 0;
        }
        catch (Exception failure) when (failure is AdministrationException or ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            await error.WriteLineAsync("fastscim: " + failure.Message).ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>Refuses a tenant that does not exist before any work for it starts.</summary>
    public static async Task RequireTenantAsync(ITenantAdministration admin, string name)
    {
        RequireValidName(name);
        if (!(await admin.ListTenantsAsync().ConfigureAwait(false)).Any(t => t.Name == name))
        {
            throw new AdministrationException($"There is no tenant '{name}'.");
        }
    }

    public static void RequireValidName(string name)
    {
        TenantName.Validate(name, "NAME");
    }
}
