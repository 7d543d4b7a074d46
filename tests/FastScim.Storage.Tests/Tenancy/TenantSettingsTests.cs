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

    [Theory]
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
