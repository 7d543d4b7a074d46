using System.CommandLine;
using System.Globalization;
using FastScim.Administration;
using FastScim.Storage.Tenancy;

namespace FastScim.Commands;

/// <summary><c>fastscim tenant create|list|delete</c>.</summary>
internal static class TenantCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("tenant", "Create, list and delete tenants.");
        command.Subcommands.Add(CreateTenant(output, error));
        command.Subcommands.Add(ListTenants(output, error));
        command.Subcommands.Add(DeleteTenant(output, error));
        command.Subcommands.Add(SetTenant(output, error));
        command.Subcommands.Add(CompatReport(output, error));
        return command;
    }

    private static Command SetTenant(TextWriter output, TextWriter error)
    {
        var name = CommonOptions.TenantName();
        var data = CommonOptions.Data();
        var groupPatch = new Option<string?>("--" + TenantSettingNames.GroupPatchResponse)
        {
            Description = "What a Group PATCH answers: 200 (the group, default) or 204 (no content, as Entra ID expects).",
        };
        groupPatch.AcceptOnlyFromAmong("200", "204");
        var compat = new Option<string?>("--" + TenantSettingNames.Compat)
        {
            Description = "The compatibility profile: lenient (default: accept what Okta, Entra ID and OneLogin send, and count it) or strict (RFC 7643/7644 only: each tolerated shape is refused with the RFC's 400).",
        };
        compat.AcceptOnlyFromAmong("lenient", "strict");
        var command = new Command("set", "Show or change a tenant's settings.") { name, data, groupPatch, compat };
        command.SetAction((parsed, _) => Administer.RunAsync(parsed.GetValue(data)!, error, async admin =>
        {
            var tenant = parsed.GetValue(name)!;
            var settings = await admin.SettingsAsync(tenant, null, null).ConfigureAwait(false);
            foreach (var (setting, option) in new[] { (TenantSettingNames.GroupPatchResponse, groupPatch), (TenantSettingNames.Compat, compat) })
            {
                if (parsed.GetValue(option) is { } value)
                {
                    settings = await admin.SettingsAsync(tenant, setting, value).ConfigureAwait(false);
                }
            }

            foreach (var (key, shown) in settings)
            {
                await output.WriteLineAsync($"{key}\t{shown}").ConfigureAwait(false);
            }
        }));
        return command;
    }

    private static Command CompatReport(TextWriter output, TextWriter error)
    {
        var name = CommonOptions.TenantName();
        var data = CommonOptions.Data();
        var command = new Command("compat-report", "Show which compatibility rules fired for a tenant, for which client, how often, when last, with one example request (passwords and credentials redacted).") { name, data };
        command.SetAction((parsed, _) => Administer.RunAsync(parsed.GetValue(data)!, error, async admin =>
        {
            var tenant = parsed.GetValue(name)!;
            var settings = await admin.SettingsAsync(tenant, null, null).ConfigureAwait(false);
            var records = await admin.CompatibilityReportAsync(tenant).ConfigureAwait(false);
            await output.WriteAsync(CompatibilityReport.Format(tenant, settings[TenantSettingNames.Compat], records)).ConfigureAwait(false);
        }));
        return command;
    }

    private static Command CreateTenant(TextWriter output, TextWriter error)
    {
        var name = CommonOptions.TenantName();
        var data = CommonOptions.Data();
        var command = new Command("create", "Create a tenant and print its first token (the token alone is the last line).") { name, data };
        command.SetAction((parsed, _) => Administer.RunAsync(parsed.GetValue(data)!, error, async admin =>
        {
            var tenant = parsed.GetValue(name)!;
            Administer.RequireValidName(tenant);
            var token = await admin.CreateTenantAsync(tenant).ConfigureAwait(false);
            await output.WriteLineAsync($"Created the tenant '{tenant}'. Its SCIM base URL is /t/{tenant}/api/v1/scim/v2 on the server.").ConfigureAwait(false);
            await output.WriteLineAsync("Its bearer token, shown only this once:").ConfigureAwait(false);
            await output.WriteLineAsync(token).ConfigureAwait(false);
        }));
        return command;
    }

    private static Command ListTenants(TextWriter output, TextWriter error)
    {
        var data = CommonOptions.Data();
        var command = new Command("list", "List the tenants.") { data };
        command.SetAction((parsed, _) => Administer.RunAsync(parsed.GetValue(data)!, error, async admin =>
        {
            foreach (var tenant in await admin.ListTenantsAsync().ConfigureAwait(false))
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{tenant.Name}\tcreated {tenant.Created:u}")).ConfigureAwait(false);
            }
        }));
        return command;
    }

    private static Command DeleteTenant(TextWriter output, TextWriter error)
    {
        var name = CommonOptions.TenantName();
        var data = CommonOptions.Data();
        var yes = new Option<bool>("--yes") { Description = "Confirm: the tenant's users, groups and tokens are deleted for good." };
        var command = new Command("delete", "Delete a tenant with all its data and tokens.") { name, data, yes };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            if (!parsed.GetValue(yes))
            {
                await error.WriteLineAsync("fastscim: deleting a tenant deletes all its data; add --yes to confirm.").ConfigureAwait(false);
                return FastScimCommand.UsageError;
            }

            return await Administer.RunAsync(parsed.GetValue(data)!, error, async admin =>
            {
                var tenant = parsed.GetValue(name)!;
                await admin.DeleteTenantAsync(tenant).ConfigureAwait(false);
                await output.WriteLineAsync($"Deleted the tenant '{tenant}'.").ConfigureAwait(false);
            }).ConfigureAwait(false);
        });
        return command;
    }
}
