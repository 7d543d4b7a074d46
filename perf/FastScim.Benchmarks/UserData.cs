using FastScim.Core.Resources;

namespace FastScim.Benchmarks;

/// <summary>Deterministic users for the benchmarks: user {i} is always the same.</summary>
internal static class UserData
{
    private static readonly string[] Given = ["Barbara", "John", "Ana", "Wei", "Fatima", "Olga", "Kofi", "Ravi"];
    private static readonly string[] Family = ["Jensen", "Smith", "Garcia", "Chen", "Khan", "Ivanova", "Mensah", "Patel"];
    private static readonly string[] Titles = ["Tour Guide", "Engineer", "Intern", "Manager"];

    public static string UserName(int i) => $"user{i}@example.com";

    public static User Create(int i)
    {
        var given = Given[i % Given.Length];
        var family = Family[(i / Given.Length) % Family.Length];
        return new User
        {
            Id = $"{i:x8}-0000-4000-8000-{i:x12}",
            UserName = UserName(i),
            ExternalId = "ext-" + i,
            DisplayName = $"{given} {family} {i}",
            Name = new Name { GivenName = given, FamilyName = family },
            Title = Titles[i % Titles.Length],
            Active = i % 5 != 0,
            Emails =
            [
                new Email { Value = UserName(i), Type = "work", Primary = true },
                new Email { Value = $"{given}.{family}.{i}@example.org".ToLowerInvariant(), Type = "home" },
            ],
            Meta = new ResourceMeta { ResourceType = "User", Created = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), LastModified = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), Version = "W/\"1\"" },
            EnterpriseUser = i % 3 == 0 ? new EnterpriseUser { Department = "Tour Operations" } : null,
        };
    }
}
