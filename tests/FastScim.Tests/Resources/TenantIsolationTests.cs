using FastScim.Tests.Infrastructure;
using static FastScim.Tests.Infrastructure.RunningServer;

namespace FastScim.Tests.Resources;

/// <summary>A tenant never sees another tenant's data.</summary>
public class TenantIsolationTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task Tenant_B_reads_nothing_of_tenant_A()
    {
        var tenantA = "a-" + Guid.NewGuid().ToString("N")[..8];
        var tenantB = "b-" + Guid.NewGuid().ToString("N")[..8];
        var tokenA = (await Cli.RunAsync("tenant", "create", tenantA, "--data", server.DataDirectory)).LastLine;
        var tokenB = (await Cli.RunAsync("tenant", "create", tenantB, "--data", server.DataDirectory)).LastLine;
        var clientA = server.Client(tokenA, tenantA);
        var clientB = server.Client(tokenB, tenantB);
        using var user = await clientA.PostAsync("Users", Json("""{"userName":"shared-name"}"""));
        var userId = (await user.JsonAsync()).GetProperty("id").GetString();
        using var group = await clientA.PostAsync("Groups", Json($$"""{"displayName":"A team","members":[{"value":"{{userId}}"}]}"""));
        var groupId = (await group.JsonAsync()).GetProperty("id").GetString();

        var usersOfB = await (await clientB.GetAsync("Users")).JsonAsync();
        var groupsOfB = await (await clientB.GetAsync("Groups")).JsonAsync();
        using var userThroughB = await clientB.GetAsync("Users/" + userId);
        using var groupThroughB = await clientB.GetAsync("Groups/" + groupId);
        using var sameNameInB = await clientB.PostAsync("Users", Json("""{"userName":"shared-name"}"""));
        using var memberOfAInB = await clientB.PostAsync("Groups", Json($$"""{"displayName":"B team","members":[{"value":"{{userId}}"}]}"""));
        using var tokenBOnA = await server.Client(tokenB, tenantA).GetAsync("Users/" + userId);

        Assert.Equal(0, usersOfB.GetProperty("totalResults").GetInt32());
        Assert.Equal(0, groupsOfB.GetProperty("totalResults").GetInt32());
        await userThroughB.AssertScimErrorAsync(404);
        await groupThroughB.AssertScimErrorAsync(404);
        Assert.Equal(201, (int)sameNameInB.StatusCode);
        await memberOfAInB.AssertScimErrorAsync(400, "invalidValue");
        await tokenBOnA.AssertScimErrorAsync(401);
    }
}
