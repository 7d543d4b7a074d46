using System.Globalization;
using System.Text;
using FastScim.Storage.Tenancy;

namespace FastScim.Commands;

/// <summary>The text of <c>fastscim tenant compat-report</c>: one row per rule and client, then each row's example request.</summary>
internal static class CompatibilityReport
{
    public static string Format(string tenant, string profile, IReadOnlyList<CompatibilityRecord> records)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Tenant '{tenant}', compatibility profile: {profile}.\n");
        if (records.Count == 0)
        {
            text.Append("No compatibility rule has fired: every request so far was plain RFC 7643/7644.\n");
            return text.ToString();
        }

        var ruleWidth = Math.Max("RULE".Length, records.Max(static r => r.Rule.Length));
        var clientWidth = Math.Max("CLIENT".Length, records.Max(static r => r.Client.Length));
        text.Append(CultureInfo.InvariantCulture, $"{"RULE".PadRight(ruleWidth)}  {"CLIENT".PadRight(clientWidth)}  {"COUNT",8}  LAST SEEN (UTC)\n");
        foreach (var record in records)
        {
            text.Append(CultureInfo.InvariantCulture, $"{record.Rule.PadRight(ruleWidth)}  {record.Client.PadRight(clientWidth)}  {record.Count,8}  {record.LastSeen.UtcDateTime:yyyy-MM-dd HH:mm:ss}\n");
        }

        foreach (var record in records)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nExample of {record.Rule} from {record.Client}:\n");
            foreach (var line in record.Example.Split('\n'))
            {
                text.Append("  ").Append(line).Append('\n');
            }
        }

        return text.ToString();
    }
}
