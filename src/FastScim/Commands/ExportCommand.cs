using System.CommandLine;
using FastScim.Transfer;

namespace FastScim.Commands;

/// <summary><c>fastscim export --tenant NAME</c>: the tenant as one ListResponse on standard output.</summary>
internal static class ExportCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var tenant = CommonOptions.Tenant();
        var data = CommonOptions.Data();
        var command = new Command("export", "Write a tenant's Users, then its Groups, to standard output as one SCIM ListResponse, which 'fastscim import' reads.")
        {
            tenant,
            data,
        };
        command.SetAction((parsed, _) => Administer.RunAsync(parsed.GetValue(data)!, error, async admin =>
        {
            var stream = new TextWriterStream(output);
            await using (stream.ConfigureAwait(false))
            {
                await admin.ExportAsync(parsed.GetValue(tenant)!, stream).ConfigureAwait(false);
            }

            await output.WriteLineAsync().ConfigureAwait(false);
            await output.FlushAsync().ConfigureAwait(false);
        }));
        return command;
    }
}
