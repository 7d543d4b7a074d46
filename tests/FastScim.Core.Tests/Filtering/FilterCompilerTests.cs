using System.Text;
using FastScim.Core.Filtering;
using FastScim.Core.Protocol;
using FastScim.Core.Resources;
using FastScim.Core.Tests.Patch;

namespace FastScim.Core.Tests.Filtering;

/// <summary>RFC 7644 §3.4.2.2 semantics of compiled filters, on the RFC 7643 §8.1 minimal and §8.2 full users and the §8.4 group.</summary>
public class FilterCompilerTests
{
    private static readonly User Full = FullUser();
    private static readonly User Minimal = new() { Id = "2819c223-7f76-453a-919d-413861904646", UserName = "Bjensen" };
    private static readonly Group TourGuides = GroupJson.Read(Encoding.UTF8.GetBytes(PatchFixtures.GroupJson));

    private static User FullUser()
    {
        var user = UserJson.Read(Encoding.UTF8.GetBytes(PatchFixtures.FullUserJson));
        user.Id = PatchFixtures.UserId;
        user.Meta = new ResourceMeta
        {
            ResourceType = "User",
            Created = new DateTimeOffset(2010, 1, 23, 4, 56, 22, TimeSpan.Zero),
            LastModified = new DateTimeOffset(2011, 5, 13, 4, 42, 34, TimeSpan.Zero),
            Version = "W/\"a330bc54f0671c9\"",
        };
        return user;
    }

    private static bool Users(string filter, User user) => FilterCompiler.CompileUser(FilterParser.Parse(filter))(user);

    private static ScimException Rejected(string filter)
    {
        var e = Assert.Throws<ScimException>(() => FilterCompiler.CompileUser(FilterParser.Parse(filter)));
        Assert.Equal(400, e.Status);
        Assert.Equal(ScimType.InvalidFilter, e.ScimType);
        return e;
    }

    [Theory]
    [InlineData("userName eq \"BJENSEN@EXAMPLE.COM\"", true)] // userName is caseExact false
    [InlineData("USERNAME Eq \"bjensen@example.com\"", true)] // names and operators case-insensitive
    [InlineData("userName eq \"bjensen\"", false)]
    [InlineData("userName sw \"BJ\"", true)]
    [InlineData("userName ew \"@EXAMPLE.com\"", true)]
    [InlineData("userName co \"JENSEN@\"", true)]
    [InlineData("userName co \"smith\"", false)]
    [InlineData("userName gt \"a\"", true)]
    [InlineData("userName lt \"a\"", false)]
    [InlineData("userName ge \"BJENSEN@EXAMPLE.COM\"", true)]
    [InlineData("userName le \"BJENSEN@EXAMPLE.COM\"", true)]
    [InlineData("id eq \"2819C223-7F76-453A-919D-413861904646\"", false)] // id is caseExact (RFC 7643 §3.1)
    [InlineData("id eq \"2819c223-7f76-453a-919d-413861904646\"", true)]
    [InlineData("externalId eq \"701984\"", true)]
    [InlineData("name.familyName co \"ENS\"", true)]
    [InlineData("name.givenName sw \"bar\"", true)]
    [InlineData("name.givenName sw \"jane\"", false)]
    [InlineData("urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"bjensen@example.com\"", true)]
    [InlineData("urn:ietf:params:scim:schemas:core:2.0:User:name.familyName eq \"jensen\"", true)]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq \"701984\"", true)]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"26118915-6090-4610-87e4-49d8ca9f808d\"", true)]
    [InlineData("URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:Department co \"tour\"", true)]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager eq \"26118915-6090-4610-87e4-49d8ca9f808d\"", true)] // complex → its value
    public void Strings_follow_caseExact_and_paths_resolve(string filter, bool expected) => Assert.Equal(expected, Users(filter, Full));

    [Theory]
    [InlineData("emails.value eq \"babs@jensen.org\"", true)] // any value matches (second email)
    [InlineData("emails[value eq \"babs@jensen.org\"]", true)]
    [InlineData("emails eq \"BABS@jensen.org\"", true)] // multi-valued complex without sub-attribute: its "value"
    [InlineData("emails.value eq \"nobody@example.com\"", false)]
    [InlineData("emails[value eq \"nobody@example.com\"]", false)]
    [InlineData("emails[type eq \"work\" and value co \"@example.com\"]", true)]
    [InlineData("emails[type eq \"home\" and value co \"@example.com\"]", false)] // both on the same value
    [InlineData("emails.type eq \"home\" and emails.value co \"@example.com\"", true)] // each on any value
    [InlineData("emails[not (type eq \"work\")]", true)]
    [InlineData("emails[primary eq true] and emails[type eq \"home\"]", true)]
    [InlineData("emails[primary eq true and type eq \"home\"]", false)]
    [InlineData("emails.value ne \"babs@jensen.org\"", false)] // ne: no value may equal
    [InlineData("emails.value ne \"nobody@example.com\"", true)]
    [InlineData("phoneNumbers[type eq \"mobile\"] or ims[type eq \"skype\"]", true)]
    [InlineData("addresses[locality eq \"Hollywood\" and postalCode sw \"916\"]", true)]
    public void Multi_valued_attributes_match_when_any_value_matches(string filter, bool expected) => Assert.Equal(expected, Users(filter, Full));

    [Theory]
    [InlineData("meta.created gt \"2010-01-01T00:00:00Z\"", true)]
    [InlineData("meta.created eq \"2010-01-23T04:56:22Z\"", true)]
    [InlineData("meta.created eq \"2010-01-22T20:56:22-08:00\"", true)] // the same instant in another offset
    [InlineData("meta.created lt \"2010-01-23T05:00:00+01:00\"", false)] // 04:00Z: created is later
    [InlineData("meta.lastModified gt \"2026-01-01T00:00:00Z\"", false)]
    [InlineData("meta.lastModified le \"2011-05-13T04:42:34Z\"", true)]
    [InlineData("meta.lastModified ge \"2011-05-13T04:42:35Z\"", false)]
    [InlineData("meta.created eq \"not a date\"", false)] // no instant: equals nothing
    [InlineData("meta.created ne \"not a date\"", true)]
    [InlineData("meta.resourceType eq \"User\"", true)]
    [InlineData("meta.version eq \"W/\\\"a330bc54f0671c9\\\"\"", true)]
    public void DateTimes_compare_as_instants(string filter, bool expected) => Assert.Equal(expected, Users(filter, Full));

    [Theory]
    [InlineData("active eq true", true)]
    [InlineData("active eq \"True\"", true)] // Entra sends booleans as strings
    [InlineData("active eq false", false)]
    [InlineData("active ne false", true)]
    [InlineData("not (active eq true)", false)]
    public void Booleans_take_eq_and_ne(string filter, bool expected) => Assert.Equal(expected, Users(filter, Full));

    [Theory]
    [InlineData("title pr", true, false)]
    [InlineData("name pr", true, false)]
    [InlineData("emails pr", true, false)]
    [InlineData("emails.type pr", true, false)]
    [InlineData("meta pr", true, false)]
    [InlineData("meta.lastModified pr", true, false)]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager pr", true, false)]
    [InlineData("id pr", true, true)]
    [InlineData("schemas pr", true, true)]
    [InlineData("title eq null", false, true)]
    [InlineData("title ne null", true, false)]
    [InlineData("title ne \"x\"", true, true)] // an unassigned attribute is "not equal" to every value
    [InlineData("title eq \"x\"", false, false)]
    [InlineData("title gt \"a\"", true, false)]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq \"701984\"", true, false)]
    [InlineData("schemas eq \"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"", true, false)]
    [InlineData("schemas eq \"URN:ietf:params:scim:schemas:core:2.0:User\"", true, true)]
    public void Presence_and_absence(string filter, bool full, bool minimal)
    {
        Assert.Equal(full, Users(filter, Full));
        Assert.Equal(minimal, Users(filter, Minimal));
    }

    [Fact]
    public void Empty_strings_lists_and_complex_values_are_not_present()
    {
        var user = new User { UserName = "", Name = new Name(), Emails = [], PhoneNumbers = [new PhoneNumber()], Meta = new ResourceMeta() };
        Assert.False(Users("userName pr", user));
        Assert.False(Users("name pr", user));
        Assert.False(Users("emails pr", user));
        Assert.False(Users("phoneNumbers pr", user));
        Assert.False(Users("meta pr", user));
        Assert.True(Users("name.givenName eq null", user));
        Assert.True(Users("emails eq null", user)); // "emails" stands for "emails.value"
        Assert.False(Users("userName eq \"\"", user));
        user.PhoneNumbers.Add(new PhoneNumber { Primary = false });
        Assert.True(Users("phoneNumbers pr", user));
        Assert.False(Users("phoneNumbers.value pr", user));
    }

    [Theory]
    [InlineData("userName eq \"bjensen@example.com\" and title pr or active eq false", true)]
    [InlineData("userName eq \"x\" and title pr or active eq true", true)] // and binds tighter than or
    [InlineData("userName eq \"x\" and (title pr or active eq true)", false)]
    [InlineData("not (userName eq \"x\") and not (emails[type eq \"other\"])", true)]
    public void Logical_operators_follow_the_rfc_precedence(string filter, bool expected) => Assert.Equal(expected, Users(filter, Full));

    [Theory]
    [InlineData("active gt true", "active")]
    [InlineData("active co \"t\"", "active")]
    [InlineData("x509Certificates.value gt \"a\"", "x509Certificates.value")] // binary
    [InlineData("meta.created co \"2010\"", "meta.created")]
    [InlineData("userName gt null", "userName")]
    [InlineData("nosuch eq \"x\"", "nosuch")]
    [InlineData("name.nosuch pr", "name.nosuch")]
    [InlineData("userName.x eq \"x\"", "userName.x")]
    [InlineData("employeeNumber eq \"701984\"", "employeeNumber")] // extension attributes need their URN
    [InlineData("urn:example:unknown:2.0:User:userName eq \"x\"", "urn:example:unknown:2.0:User:userName")]
    [InlineData("name eq \"Barbara\"", "name")] // complex without "value"
    [InlineData("password eq \"t1meMa$heen\"", "password")] // returned: never
    [InlineData("emails[nosuch eq \"x\"]", "nosuch")]
    [InlineData("userName[value eq \"x\"]", "userName")]
    [InlineData("name[givenName eq \"x\"]", "name")]
    public void Invalid_filters_are_400_invalidFilter_naming_the_attribute(string filter, string attribute) =>
        Assert.Contains(attribute, Rejected(filter).Detail, StringComparison.Ordinal);

    [Theory]
    [InlineData("displayName eq \"tour guides\"", true)]
    [InlineData("members.value eq \"902c246b-6245-4190-8e05-00816be7344a\"", true)]
    [InlineData("members[type eq \"User\" and value sw \"2819\"]", true)]
    [InlineData("members[type eq \"Group\"]", false)]
    [InlineData("members.value ne \"902c246b-6245-4190-8e05-00816be7344a\"", false)]
    [InlineData("id eq \"e9e30dba-f08f-4109-8486-d5c6a331660a\"", false)] // GroupJson.Read drops the readOnly id
    public void Groups_compile_over_their_own_accessors(string filter, bool expected) =>
        Assert.Equal(expected, FilterCompiler.CompileGroup(FilterParser.Parse(filter))(TourGuides));

    [Fact]
    public void Group_filters_reject_user_attributes() =>
        Assert.Throws<ScimException>(() => FilterCompiler.CompileGroup(FilterParser.Parse("userName eq \"x\"")));

    [Fact]
    public void Lenient_unquoted_values_compile_like_strings() =>
        Assert.True(FilterCompiler.CompileUser(FilterParser.Parse("externalId eq 701984"))(Full));

    [Fact]
    public void Co_ignoring_case_agrees_with_ordinal_ignore_case_contains_on_random_unicode_text()
    {
        // Letters whose case mappings trip naive folding: Kelvin sign, long s, sharp s, dotted and
        // dotless i, micro sign and mu, final sigma, a surrogate pair; plus plain ASCII.
        string[] alphabet = ["a", "A", "k", "K", "\u212A", "s", "S", "\u017F", "\u00DF", "i", "I", "\u0130", "\u0131", "\u00B5", "\u039C", "\u03BC", "\u03C2", "\u03A3", "\U0001F600", "-", " "];
        var random = new Random(7644);
        int matches = 0;
        for (int i = 0; i < 5_000; i++)
        {
            string hay = string.Concat(Enumerable.Range(0, random.Next(0, 12)).Select(_ => alphabet[random.Next(alphabet.Length)]));
            string needle = string.Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => alphabet[random.Next(alphabet.Length)]));
            bool expected = hay.Contains(needle, StringComparison.OrdinalIgnoreCase);
            var user = new User { UserName = "u", DisplayName = hay };

            Assert.True(expected == Users($"displayName co \"{needle}\"", user), $"'{hay}' co '{needle}' should be {expected}");
            matches += expected ? 1 : 0;
        }

        Assert.InRange(matches, 500, 4_500); // both outcomes are well exercised
    }
}
