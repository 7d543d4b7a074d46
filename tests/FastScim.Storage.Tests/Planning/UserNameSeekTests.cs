using FastScim.Core.Resources;
using FastScim.Storage.LiteDb;
using FastScim.Storage.Planning;
using FastScim.Storage.Tests.TestSupport;
using LiteDB;

namespace FastScim.Storage.Tests.Planning;

/// <summary>
/// Why a <c>userName eq</c> seek may go through the unique index, whose keys are lower-cased and
/// compared ignoring case (RFC 7643 §2.1): every userName the filter accepts is found under the
/// lower-cased filter value, for every Unicode code point (the server runs with invariant globalization).
/// </summary>
public sealed class UserNameSeekTests
{
    [Fact]
    public void Code_points_equal_ignoring_case_have_lower_cased_forms_equal_ignoring_case()
    {
        var classes = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (string text in CodePoints())
        {
            if (!classes.TryGetValue(text, out List<string>? members))
            {
                classes.Add(text, members = []);
            }

            members.Add(text);
        }

        var violations = new List<string>();
        int multi = 0;
        foreach (List<string> members in classes.Values)
        {
            multi += members.Count > 1 ? 1 : 0;
            string lower = members[0].ToLowerInvariant();
            foreach (string member in members)
            {
                if (!string.Equals(member.ToLowerInvariant(), lower, StringComparison.OrdinalIgnoreCase))
                {
                    violations.Add($"U+{char.ConvertToUtf32(members[0], 0):X4} ~ U+{(char.IsSurrogate(member[0]) && member.Length == 1 ? member[0] : char.ConvertToUtf32(member, 0)):X4}");
                }
            }
        }

        Assert.Empty(violations);
        Assert.True(multi > 1000, $"only {multi} classes of more than one code point: the comparer did not fold case");
    }

    [Theory]
    [InlineData("bjensen", "BJENSEN")]
    [InlineData("µser", "ΜSER")]
    [InlineData("σοφός", "ΣΟΦΌΣ")]
    [InlineData("\u03D1eta", "ΘETA")]
    [InlineData("ǅemal", "Ǆemal")]
    public void A_name_and_a_filter_value_equal_ignoring_case_meet_under_their_lower_cased_forms(string stored, string filterValue)
    {
        Assert.Equal(stored, filterValue, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(stored.ToLowerInvariant(), filterValue.ToLowerInvariant(), StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_users_collection_whose_codec_keeps_no_unique_userName_index_is_refused_when_it_opens()
    {
        using var data = new TempDirectory();
        var database = TenantDatabase.Open("acme", data.File("acme.db"));
        try
        {
            var withoutUnique = new ResourceCodec<User>("users", static u => new BsonDocument { ["_id"] = u.Id }, static d => new User { Id = d["_id"].AsString }, [], static u => u.Copy());
            var refusal = Assert.Throws<InvalidOperationException>(() => new LiteDbResourceCollection<User>(database, withoutUnique, planner: QueryPlanner.Users));
            Assert.Contains("LOWER($.userName)", refusal.Message, StringComparison.Ordinal);
            _ = new LiteDbResourceCollection<User>(database, TestCodecs.User, planner: QueryPlanner.Users);
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    /// <summary>Every code point as a string: scalar values, and each lone surrogate as one char.</summary>
    private static IEnumerable<string> CodePoints()
    {
        for (int c = 0; c <= 0x10FFFF; c++)
        {
            yield return c is >= 0xD800 and <= 0xDFFF ? ((char)c).ToString() : char.ConvertFromUtf32(c);
        }
    }
}
