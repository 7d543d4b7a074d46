using System.Text;
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

    /// <summary>The full user of RFC 7643 §8.2 (with the enterprise extension) as a request body: its id and meta are the server's.</summary>
    public static byte[] FullUserJson() => Encoding.UTF8.GetBytes("""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
             "externalId":"701984","userName":"bjensen@example.com",
             "name":{"formatted":"Ms. Barbara J Jensen, III","familyName":"Jensen","givenName":"Barbara","middleName":"Jane","honorificPrefix":"Ms.","honorificSuffix":"III"},
             "displayName":"Babs Jensen","nickName":"Babs","profileUrl":"https://login.example.com/bjensen",
             "emails":[{"value":"bjensen@example.com","type":"work","primary":true},{"value":"babs@jensen.org","type":"home"}],
             "addresses":[{"type":"work","streetAddress":"100 Universal City Plaza","locality":"Hollywood","region":"CA","postalCode":"91608","country":"USA","formatted":"100 Universal City Plaza\nHollywood, CA 91608 USA","primary":true}],
             "phoneNumbers":[{"value":"555-555-5555","type":"work"},{"value":"555-555-4444","type":"mobile"}],
             "userType":"Employee","title":"Tour Guide","preferredLanguage":"en-US","locale":"en-US","timezone":"America/Los_Angeles","active":true,
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"701984","costCenter":"4130","organization":"Universal Studios","division":"Theme Park","department":"Tour Operations","manager":{"value":"26118915-6090-4610-87e4-49d8ca9f808d","displayName":"John Smith"}}}
            """);
}
