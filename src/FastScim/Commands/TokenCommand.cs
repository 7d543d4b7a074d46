using System.CommandLine;
using System.Globalization;
using FastScim.Administration;

namespace FastScim.Commands;

/// <summary><c>fastscim token create|revoke|list</c>: a tenant may hold several tokens, for rotation.</summary>
internal static class TokenCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("token", "Create, revoke and list a tenant's bearer tokens.");
        command.Subcommands.Add(CreateToken(output, error));
        command.Subcommands.Add(RevokeToken(output, error));
        command.Subcommands.Add(ListTokens(output, error));
        return command;
    }

    private static Command CreateToken(TextWriter output, TextWriter error)
    {
        var name = CommonOptions.TenantName();
        var data = CommonOptions.Data();
        var command = new Command("create", "Create another token for a tenant (the token alone is the last line).") { name, data };
        command.SetAction((parsed, _) => Administer.RunAsync(parsed.GetValue(data)!, error, async admin =>
        {
            var token = await admin.CreateTokenAsync(parsed.GetValue(name)!).ConfigureAwait(false);
            await output.WriteLineAsync("New bearer token, shown only this once:").ConfigureAwait(false);
            await output.WriteLineAsync(token).ConfigureAwait(false);
        }));
        return command;
    }

    private static Command RevokeToken(TextWriter output, TextWriter error)
    {
        var name = CommonOptions.TenantName();
        var prefix = new Argument<string>("PREFIX") { Description = "The token's prefix as 'fastscim token list' shows it." };
        var data = CommonOptions.Data();
        var command = new Command("revoke", "Revoke a tenant's token by its prefix.") { name, prefix, data };
        command.SetAction((parsed, _) => Administer.RunAsync(parsed.GetValue(data)!, error, async admin =>
        {
            var revoked = await admin.RevokeTokenAsync(parsed.GetValue(name)!, parsed.GetValue(prefix)!).ConfigureAwait(false);
            if (revoked == 0)
            {
                throw new AdministrationException($"No token of '{parsed.GetValue(name)}' starts with '{parsed.GetValue(prefix)}'.");
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Revoked {revoked} token(s).")).ConfigureAwait(false);
        }));
        return command;
    }

    private static Command ListTokens(TextWriter output, TextWriter error)
    {
        var name = CommonOptions.TenantName();
        var data = CommonOptions.Data();
        var command = new Command("list", "List a tenant's tokens by prefix (the tokens themselves are never stored).") { name, data };
        command.SetAction((parsed, _) => Administer.RunAsync(parsed.GetValue(data)!, error, async admin =>
        {
            foreach (var token in await admin.ListTokensAsync(parsed.GetValue(name)!).ConfigureAwait(false))
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{token.Prefix}\tcreated {token.Created:u}")).ConfigureAwait(false);
            }
        }));
        return command;
    }
}
