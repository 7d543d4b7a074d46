using System.Text.Json;
using System.Text.RegularExpressions;
using FastScim.Tests.Infrastructure;
using static FastScim.Tests.Infrastructure.RunningServer;
using static FastScim.Tests.Infrastructure.ScimResources;

namespace FastScim.Tests.IdentityProviders;

/// <summary>
/// Every tolerance rule (shared/IDP-BEHAVIOUR.md, "Cross-IdP tolerance checklist") in both
/// profiles: a lenient tenant accepts the shape and `fastscim tenant compat-report` shows the rule
/// for the client that sent it; a strict tenant answers the RFC's 400 and stores nothing.
/// </summary>
public class CompatibilityProfileTests(RunningServer server) : IClassFixture<RunningServer>
{
    private const string UserUrn = "urn:ietf:params:scim:schemas:core:2.0:User";
    private const string GroupUrn = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private const string OktaAgent = "Okta SCIM Client 1.0.0";

    /// <summary>A request that needs exactly one rule, made against fresh resources of the tenant.</summary>
    private sealed record Shape(string Rule, string ScimType, Func<HttpClient, Task<HttpRequestMessage>> Request, Func<HttpClient, Task>? Unchanged = null);

    public static TheoryData<string> Rules => [.. Shapes.Keys];

    private static readonly Dictionary<string, Shape> Shapes = new[]
    {
        new Shape("capitalised-op", "invalidSyntax", async c => PatchUser(await c.CreateUserAsync(), $$$"""{"schemas":["{{{PatchOpUrn}}}"],"Operations":[{"op":"Replace","path":"displayName","value":"changed"}]}""")),
        new Shape("patch-without-schemas", "invalidSyntax", async c => PatchUser(await c.CreateUserAsync(), """{"Operations":[{"op":"replace","path":"displayName","value":"changed"}]}""")),
        new Shape("boolean-as-string", "invalidValue", c => Task.FromResult(Post("Users", $$$"""{"schemas":["{{{UserUrn}}}"],"userName":"{{{NewUserName()}}}","active":"True"}"""))),
        new Shape("manager-as-string", "invalidValue", c => Task.FromResult(Post("Users", $$$"""{"schemas":["{{{UserUrn}}}","{{{EnterpriseUrn}}}"],"userName":"{{{NewUserName()}}}","{{{EnterpriseUrn}}}":{"manager":"boss-1"}}"""))),
        new Shape("path-less-attribute-path", "invalidPath", async c => PatchUser(await c.CreateUserAsync(), $$$"""{"schemas":["{{{PatchOpUrn}}}"],"Operations":[{"op":"replace","value":{"name.givenName":"Kkom"}}]}""")),
        new Shape("remove-members-with-value", "invalidSyntax", async c =>
        {
            var user = await c.CreateUserAsync();
            var group = await c.CreateGroupAsync(NewUserName("g"), user.Id());
            return Patch("Groups/" + group.Id(), $$$"""{"schemas":["{{{PatchOpUrn}}}"],"Operations":[{"op":"remove","path":"members","value":[{"value":"{{{user.Id()}}}"}]}]}""");
        }),
        new Shape("filtered-add-creates", "noTarget", async c => PatchUser(await c.CreateUserAsync(), $$$"""{"schemas":["{{{PatchOpUrn}}}"],"Operations":[{"op":"add","path":"emails[type eq \"work\"].value","value":"new@example.com"}]}""")),
        new Shape("own-id-in-patch", "mutability", async c =>
        {
            var group = await c.CreateGroupAsync(NewUserName("g"));
            return Patch("Groups/" + group.Id(), $$$"""{"schemas":["{{{PatchOpUrn}}}"],"Operations":[{"op":"replace","value":{"id":"{{{group.Id()}}}","displayName":"{{{NewUserName("renamed")}}}"}}]}""");
        }),
        new Shape("unregistered-schema-urn", "invalidValue", c => Task.FromResult(Post("Groups", $$$"""{"schemas":["{{{GroupUrn}}}","http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],"displayName":"{{{NewUserName("g")}}}"}"""))),
        new Shape("missing-core-schema", "invalidValue", c => Task.FromResult(Post("Users", $$$"""{"userName":"{{{NewUserName()}}}"}"""))),
        new Shape("unquoted-filter-value", "invalidFilter", c => Task.FromResult(Get("Users?filter=" + Uri.EscapeDataString("externalId eq jyoung")))),
        new Shape("filter-literal-case", "invalidFilter", c => Task.FromResult(Get("Users?filter=" + Uri.EscapeDataString("active eq True")))),
        new Shape("filter-value-path-sub-attribute", "invalidFilter", c => Task.FromResult(Get("Users?filter=" + Uri.EscapeDataString("emails[type eq \"work\"].value eq \"x@example.com\"")))),
        new Shape("unqualified-extension-attribute", "invalidPath", async c => PatchUser(await c.CreateUserAsync(), $$$"""{"schemas":["{{{PatchOpUrn}}}"],"Operations":[{"op":"replace","path":"employeeNumber","value":"42"}]}""")),
        new Shape("single-value-in-array", "invalidValue", async c => PatchUser(await c.CreateUserAsync(), $$$"""{"schemas":["{{{PatchOpUrn}}}"],"Operations":[{"op":"add","path":"{{{EnterpriseUrn}}}:manager","value":[{"value":"m-1"}]}]}""")),
    }.ToDictionary(s => s.Rule);

    /// <summary>A row of the report's table: rule, client, count.</summary>
    private static (string Rule, string Client, long Count)? Row(string line)
    {
        var match = Regex.Match(line, @"^(\S+)\s{2,}(.+?)\s{2,}(\d+)\s{2,}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$");
        return match.Success ? (match.Groups[1].Value, match.Groups[2].Value, long.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture)) : null;
    }

    private static (string Rule, string Client, long Count)[] Rows(string report) =>
        [.. report.Split('\n').Select(Row).OfType<(string, string, long)>()];

    private static HttpRequestMessage PatchUser(JsonElement user, string body) => Patch("Users/" + user.Id(), body);

    private static HttpRequestMessage Patch(string path, string body) => new(HttpMethod.Patch, path) { Content = Json(body) };

    private static HttpRequestMessage Post(string path, string body) => new(HttpMethod.Post, path) { Content = Json(body) };

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    private async Task<(HttpClient Client, string Tenant)> TenantAsync(string profile)
    {
        var tenant = profile + "-" + Guid.NewGuid().ToString("N")[..8];
        var created = await Cli.RunAsync("tenant", "create", tenant, "--data", server.DataDirectory);
        Assert.Equal(0, created.ExitCode);
        var set = await Cli.RunAsync("tenant", "set", tenant, "--compat", profile, "--data", server.DataDirectory);
        Assert.Equal(0, set.ExitCode);
        Assert.Contains("compat\t" + profile, set.Output, StringComparison.Ordinal);
        var client = server.Client(created.LastLine, tenant);
        client.DefaultRequestHeaders.UserAgent.ParseAdd(OktaAgent);
        return (client, tenant);
    }

    [Fact]
    public void Every_rule_has_a_shape_here()
    {
        Assert.Equal(
            ["boolean-as-string", "capitalised-op", "filter-literal-case", "filter-value-path-sub-attribute", "filtered-add-creates", "manager-as-string", "missing-core-schema", "own-id-in-patch", "patch-without-schemas", "path-less-attribute-path", "remove-members-with-value", "single-value-in-array", "unqualified-extension-attribute", "unquoted-filter-value", "unregistered-schema-urn"],
            Shapes.Keys.Order(StringComparer.Ordinal).ToArray());
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task A_lenient_tenant_accepts_the_shape_and_reports_the_rule_for_the_client(string rule)
    {
        var (client, tenant) = await TenantAsync("lenient");
        using var request = await Shapes[rule].Request(client);

        using var response = await client.SendAsync(request);

        Assert.True(response.IsSuccessStatusCode, $"{rule}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var report = await Cli.RunAsync("tenant", "compat-report", tenant, "--data", server.DataDirectory);
        Assert.Equal(0, report.ExitCode);
        Assert.Equal([(rule, "Okta", 1L)], Rows(report.Output));
        Assert.Contains($"Example of {rule} from Okta:", report.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task A_strict_tenant_refuses_the_shape_with_the_RFC_error_and_reports_nothing(string rule)
    {
        var (client, tenant) = await TenantAsync("strict");
        var before = await client.GetJsonAsync("Users?count=0");
        using var request = await Shapes[rule].Request(client);
        var target = request.RequestUri!.ToString();

        using var response = await client.SendAsync(request);

        var error = await response.AssertScimErrorAsync(400, Shapes[rule].ScimType);
        Assert.Contains("strict", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
        if (request.Method == HttpMethod.Post && target == "Users")
        {
            Assert.Equal(before.GetProperty("totalResults").GetInt32(), (await client.GetJsonAsync("Users?count=0")).GetProperty("totalResults").GetInt32());
        }

        if (request.Method == HttpMethod.Patch)
        {
            Assert.Equal("W/\"1\"", (await client.GetJsonAsync(target)).Version());
        }

        var report = await Cli.RunAsync("tenant", "compat-report", tenant, "--data", server.DataDirectory);
        Assert.Contains("compatibility profile: strict", report.Output, StringComparison.Ordinal);
        Assert.Contains("No compatibility rule has fired", report.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_example_shows_the_request_without_passwords_or_credentials()
    {
        var (client, tenant) = await TenantAsync("lenient");
        const string password = "Sup3r-Secret-Pa55";
        var userName = NewUserName();
        using (var created = await client.PostAsync("Users", Json($$$"""{"schemas":["{{{UserUrn}}}"],"userName":"{{{userName}}}","password":"{{{password}}}","active":"True"}""")))
        {
            Assert.Equal(201, (int)created.StatusCode);
        }

        var report = await Cli.RunAsync("tenant", "compat-report", tenant, "--data", server.DataDirectory);

        Assert.Contains("POST /t/" + tenant + "/api/v1/scim/v2/Users", report.Output, StringComparison.Ordinal);
        Assert.Contains("User-Agent: " + OktaAgent, report.Output, StringComparison.Ordinal);
        Assert.Contains(userName, report.Output, StringComparison.Ordinal);
        Assert.Contains("\"password\":\"[redacted]\"", report.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(password, report.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("scim_", report.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Authorization", report.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Counts_are_per_request_and_per_client()
    {
        var (client, tenant) = await TenantAsync("lenient");
        var user = await client.CreateUserAsync();
        for (var i = 0; i < 3; i++)
        {
            // Two capitalised ops in one request count once: the report counts requests.
            using var patched = await client.SendAsync(PatchUser(user, $$$"""{"schemas":["{{{PatchOpUrn}}}"],"Operations":[{"op":"Replace","path":"displayName","value":"a{{{i}}}"},{"op":"Replace","path":"nickName","value":"b{{{i}}}"}]}"""));
            Assert.Equal(200, (int)patched.StatusCode);
        }

        var entra = server.Client(null, tenant);
        entra.DefaultRequestHeaders.Authorization = client.DefaultRequestHeaders.Authorization;
        using (var flagged = await entra.SendAsync(Patch("Users/" + user.Id() + "?aadOptscim062020", """{"Operations":[{"op":"Replace","path":"displayName","value":"from entra"}]}""")))
        {
            Assert.Equal(200, (int)flagged.StatusCode);
        }

        var report = await Cli.RunAsync("tenant", "compat-report", tenant, "--data", server.DataDirectory);

        var rows = Rows(report.Output).Where(r => r.Rule == "capitalised-op").OrderBy(r => r.Client, StringComparer.Ordinal).ToArray();
        Assert.Equal([("capitalised-op", "Entra ID", 1L), ("capitalised-op", "Okta", 3L)], rows);
    }

    [Fact]
    public async Task A_Bulk_operation_is_judged_by_its_tenants_profile_like_the_single_request()
    {
        var (strict, _) = await TenantAsync("strict");
        var body = $$$"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[
              {"method":"POST","path":"/Users","bulkId":"plain","data":{"schemas":["{{{UserUrn}}}"],"userName":"{{{NewUserName()}}}","active":true}},
              {"method":"POST","path":"/Users","bulkId":"quirky","data":{"schemas":["{{{UserUrn}}}"],"userName":"{{{NewUserName()}}}","active":"True"}}]}
            """;

        using var response = await strict.PostAsync("Bulk", Json(body));

        var operations = (await response.JsonAsync()).GetProperty("Operations").EnumerateArray().ToArray();
        Assert.Equal("201", operations[0].GetProperty("status").GetString());
        Assert.Equal("400", operations[1].GetProperty("status").GetString());
        Assert.Equal("invalidValue", operations[1].GetProperty("response").GetProperty("scimType").GetString());
    }
}
