using FastScim.Storage.Tenancy;
using FastScim.Storage.Tests.TestSupport;

namespace FastScim.Storage.Tests.Tenancy;

public sealed class TenantSettingsTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public void Settings_default_to_200_and_a_change_survives_reopening()
    {
        using (var registry = TenantRegistry.Open(_data.Path))
        {
            registry.CreateTenant("acme");
            registry.CreateTenant("other");
            Assert.False(registry.SettingsOf("acme").GroupPatchNoContent);

            registry.UpdateSettings("acme", TenantSettingNames.With(registry.SettingsOf("acme"), TenantSettingNames.GroupPatchResponse, "204"));

            Assert.True(registry.SettingsOf("acme").GroupPatchNoContent);
            Assert.False(registry.SettingsOf("other").GroupPatchNoContent);
        }

        using var reopened = TenantRegistry.Open(_data.Path);
        Assert.True(reopened.SettingsOf("acme").GroupPatchNoContent);
        Assert.Same(TenantSettings.Default, reopened.SettingsOf("nobody"));
    }

    [Fact]
    public void The_compatibility_profile_is_lenient_until_set_strict_and_that_survives_reopening()
    {
        using (var registry = TenantRegistry.Open(_data.Path))
        {
            registry.CreateTenant("acme");
            Assert.Equal("lenient", TenantSettingNames.Describe(registry.SettingsOf("acme"))[TenantSettingNames.Compat]);

            registry.UpdateSettings("acme", TenantSettingNames.With(registry.SettingsOf("acme"), TenantSettingNames.Compat, "strict"));
        }

        using var reopened = TenantRegistry.Open(_data.Path);
        Assert.True(reopened.SettingsOf("acme").StrictCompatibility);
        Assert.False(reopened.SettingsOf("acme").GroupPatchNoContent);
    }

    [Fact]
    public void Compatibility_records_are_saved_replaced_and_deleted_with_their_tenant()
    {
        var seen = new DateTimeOffset(2026, 11, 29, 5, 0, 0, TimeSpan.Zero);
        using (var registry = TenantRegistry.Open(_data.Path))
        {
            registry.CreateTenant("acme");
            registry.CreateTenant("other");
            registry.SaveCompatibility(
            [
                new CompatibilityRecord("acme", "Okta", "own-id-in-patch", 3, seen, "PATCH /x"),
                new CompatibilityRecord("other", "Entra ID", "capitalised-op", 1, seen, "PATCH /y"),
                new CompatibilityRecord("ghost", "Okta", "capitalised-op", 1, seen, "no such tenant"),
            ]);
            registry.SaveCompatibility([new CompatibilityRecord("acme", "Okta", "own-id-in-patch", 5, seen.AddMinutes(1), "PATCH /x")]);
        }

        using var reopened = TenantRegistry.Open(_data.Path);
        Assert.Equal([new CompatibilityRecord("acme", "Okta", "own-id-in-patch", 5, seen.AddMinutes(1), "PATCH /x")], reopened.CompatibilityRecords("acme"));
        Assert.Equal(2, reopened.CompatibilityRecords().Count);
        reopened.DeleteTenant("other");
        Assert.Empty(reopened.CompatibilityRecords("other"));
        Assert.Single(reopened.CompatibilityRecords());
    }

    [Theory]
    [InlineData("compat", "loose")]
    [InlineData("group-patch-response", "201")]
    [InlineData("colour", "blue")]
    public void Unknown_settings_and_values_are_refused_with_a_reason(string name, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => TenantSettingNames.With(TenantSettings.Default, name, value));

        Assert.Contains(name == "colour" ? name : value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_of_a_missing_tenant_cannot_be_changed()
    {
        using var registry = TenantRegistry.Open(_data.Path);

        Assert.Throws<InvalidOperationException>(() => registry.UpdateSettings("ghost", TenantSettings.Default));
    }
}
