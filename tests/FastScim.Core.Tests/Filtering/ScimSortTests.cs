using FastScim.Core.Filtering;
using FastScim.Core.Protocol;
using FastScim.Core.Resources;

namespace FastScim.Core.Tests.Filtering;

/// <summary>sortBy over the generated <c>…Accessors.Compare</c> (RFC 7644 §3.4.2.3).</summary>
public class ScimSortTests
{
    private static string[] Sorted(IEnumerable<User> users, string? urn, string name, string? sub, bool descending = false, Func<User, string?>? key = null)
    {
        var list = users.ToList();
        list.Sort(ScimSort.Create<User, UserAccessors>(new AttributePath(urn, name, sub), descending));
        return [.. list.Select(key ?? (u => u.Id)).Select(k => k ?? "(null)")];
    }

    private static User U(string id, string? userName = null, string? externalId = null) => new() { Id = id, UserName = userName, ExternalId = externalId };

    [Fact]
    public void Strings_sort_case_insensitively_unless_caseExact_and_missing_values_sort_last()
    {
        User[] users = [U("1", "b", "b"), U("2", "A", "B"), U("3", null, null), U("4", "c", "a"), U("5", "", "")];
        Assert.Equal(["2", "1", "4", "3", "5"], Sorted(users, null, "userName", null));
        Assert.Equal(["2", "4", "1", "3", "5"], Sorted(users, null, "EXTERNALID", null)); // caseExact: "B" < "a" < "b"
    }

    [Fact]
    public void Descending_is_the_reverse_with_missing_values_first()
    {
        User[] users = [U("1", "b"), U("2", null), U("3", "a")];
        Assert.Equal(["2", "1", "3"], Sorted(users, null, "userName", null, descending: true));
    }

    [Fact]
    public void Multi_valued_attributes_sort_by_their_primary_else_first_value()
    {
        var x = new User { Id = "x", Emails = [new Email { Value = "z@example.com" }, new Email { Value = "a@example.com", Primary = true }] };
        var y = new User { Id = "y", Emails = [new Email { Value = "m@example.com" }, new Email { Value = "b@example.com" }] };
        var z = new User { Id = "z", Emails = [] };
        Assert.Equal(["x", "y", "z"], Sorted([z, y, x], null, "emails", "value"));
        Assert.Equal(["x", "y", "z"], Sorted([y, z, x], null, "emails", null)); // emails sorts by emails.value
        Assert.Equal(["z", "y", "x"], Sorted([x, y, z], null, "emails", "value", descending: true)); // missing first when descending
    }

    [Fact]
    public void DateTimes_sort_by_instant_and_extension_paths_resolve()
    {
        var early = new User { Id = "early", Meta = new ResourceMeta { LastModified = DateTimeOffset.Parse("2026-01-01T01:00:00+02:00", System.Globalization.CultureInfo.InvariantCulture) } };
        var late = new User { Id = "late", Meta = new ResourceMeta { LastModified = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture) } };
        var none = new User { Id = "none" };
        Assert.Equal(["early", "late", "none"], Sorted([none, late, early], null, "meta", "lastModified"));

        var m1 = new User { Id = "m1", EnterpriseUser = new EnterpriseUser { EmployeeNumber = "2", Manager = new Manager { Value = "b" } } };
        var m2 = new User { Id = "m2", EnterpriseUser = new EnterpriseUser { EmployeeNumber = "10", Manager = new Manager { Value = "a" } } };
        const string Ext = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
        Assert.Equal(["m2", "m1", "none"], Sorted([m1, none, m2], Ext, "manager", "value"));
        Assert.Equal(["m2", "m1", "none"], Sorted([none, m1, m2], Ext, "employeeNumber", null)); // a string: "10" < "2"
    }

    [Fact]
    public void Booleans_and_groups_sort_too()
    {
        User[] users = [new() { Id = "t", Active = true }, new() { Id = "n" }, new() { Id = "f", Active = false }];
        Assert.Equal(["f", "t", "n"], Sorted(users, null, "active", null));
        var groups = new List<Group> { new() { DisplayName = "b" }, new() { DisplayName = "A" } };
        groups.Sort(ScimSort.Create<Group, GroupAccessors>(new AttributePath(null, "displayName", null)));
        Assert.Equal(["A", "b"], groups.Select(g => g.DisplayName ?? "(null)"));
    }

    [Theory]
    [InlineData("nosuch", null)]
    [InlineData("name", null)] // complex without "value"
    [InlineData("schemas", null)]
    public void Unsortable_paths_are_400_invalidValue(string name, string? sub)
    {
        var e = Assert.Throws<ScimException>(() => ScimSort.Create<User, UserAccessors>(new AttributePath(null, name, sub)));
        Assert.Equal(ScimType.InvalidValue, e.ScimType);
        Assert.Contains(name, e.Detail, StringComparison.Ordinal);
    }
}
