using FastScim.Core.Patch;
using FastScim.Core.Protocol;
using static FastScim.Core.Tests.Patch.PatchFixtures;

namespace FastScim.Core.Tests.Patch;

/// <summary>Every example of RFC 7644 §3.5.2.1–§3.5.2.3, applied to the RFC 7643 §8.2 user and §8.4 group.</summary>
public class RfcExampleTests
{
    private const string NewMember = "6c5bb468-14b2-4183-baf2-06d523e03bd3";

    [Fact]
    public void Add_a_member_appends_it_3_5_2_1()
    {
        var group = PatchGroup($$"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
             "Operations":[{"op":"add","path":"members","value":[{"display":"Babs Jensen","$ref":"https://example.com/v2/Users/{{NewMember}}","value":"{{NewMember}}"}]}]}
            """);

        Assert.Equal([UserId, Mandy, NewMember], MemberIds(group));
        Assert.Equal("https://example.com/v2/Users/" + NewMember, group.Members![2].Ref);
    }

    [Fact]
    public void Adding_an_existing_member_changes_nothing_3_5_2_1()
    {
        var stored = StoredGroup();
        var patched = ApplyPatch(stored, $$"""{"Operations":[{"op":"add","path":"members","value":[{"value":"{{UserId}}"}]}]}""", ResourceSchema.Group);

        Assert.Equal(stored.ToJsonString(), patched.ToJsonString());
    }

    [Fact]
    public void Add_without_path_adds_each_attribute_and_does_not_duplicate_an_equal_email_3_5_2_1()
    {
        var user = PatchUser("""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
             "Operations":[{"op":"add","value":{"emails":[{"value":"babs@jensen.org","type":"home"}],"nickname":"Babsy"}}]}
            """);

        Assert.Equal("Babsy", user.NickName);
        Assert.Equal(2, user.Emails!.Count);
        Assert.Equal(["bjensen@example.com", "babs@jensen.org"], user.Emails.Select(e => e.Value));
    }

    [Fact]
    public void Add_without_path_writes_keys_in_schema_spelling()
    {
        var dom = ApplyPatch(StoredUser(), """{"Operations":[{"op":"add","value":{"NICKNAME":"B","Title":"Boss"}}]}""");

        Assert.Equal("B", (string?)dom["nickName"]);
        Assert.Equal("Boss", (string?)dom["title"]);
        Assert.False(dom.ContainsKey("NICKNAME"));
    }

    [Fact]
    public void Add_a_new_email_appends_it()
    {
        var user = PatchUser("""{"Operations":[{"op":"add","path":"emails","value":[{"value":"b@other.org","type":"other"}]}]}""");

        Assert.Equal(["bjensen@example.com", "babs@jensen.org", "b@other.org"], user.Emails!.Select(e => e.Value));
    }

    [Fact]
    public void Add_to_a_complex_attribute_merges_its_sub_attributes_3_5_2_1()
    {
        var user = PatchUser("""{"Operations":[{"op":"add","path":"name","value":{"givenName":"Barb"}}]}""");

        Assert.Equal("Barb", user.Name!.GivenName);
        Assert.Equal("Jensen", user.Name.FamilyName);
    }

    [Fact]
    public void Remove_all_members_3_5_2_2()
    {
        var group = PatchGroup("""{"Operations":[{"op":"remove","path":"members"}]}""");

        Assert.Null(group.Members);
        Assert.Equal("Tour Guides", group.DisplayName);
    }

    [Fact]
    public void Remove_one_member_by_filter_3_5_2_2()
    {
        var group = PatchGroup($$"""{"Operations":[{"op":"remove","path":"members[value eq \"{{UserId}}\"]"}]}""");

        Assert.Equal([Mandy], MemberIds(group));
    }

    [Fact]
    public void Remove_the_values_a_complex_filter_matches_3_5_2_2()
    {
        var user = PatchUser("""{"Operations":[{"op":"remove","path":"emails[type eq \"work\" and value ew \"example.com\"]"}]}""");

        Assert.Equal(["babs@jensen.org"], user.Emails!.Select(e => e.Value));
    }

    [Fact]
    public void Remove_all_members_then_add_two_replaces_the_membership_3_5_2_2()
    {
        var group = PatchGroup($$"""
            {"Operations":[
              {"op":"remove","path":"members"},
              {"op":"add","path":"members","value":[
                {"display":"Babs Jensen","$ref":"https://example.com/v2/Users/{{NewMember}}","value":"{{NewMember}}"},
                {"display":"James Smith","$ref":"https://example.com/v2/Users/08e1d05d","value":"08e1d05d"}]}]}
            """);

        Assert.Equal([NewMember, "08e1d05d"], MemberIds(group));
    }

    [Fact]
    public void Remove_a_single_valued_attribute_unassigns_it_3_5_2_2()
    {
        var user = PatchUser("""{"Operations":[{"op":"remove","path":"title"}]}""");

        Assert.Null(user.Title);
        Assert.Equal("Employee", user.UserType);
    }

    [Fact]
    public void Remove_a_sub_attribute()
    {
        var user = PatchUser("""{"Operations":[{"op":"remove","path":"name.middleName"}]}""");

        Assert.Null(user.Name!.MiddleName);
        Assert.Equal("Barbara", user.Name.GivenName);
    }

    [Fact]
    public void Remove_a_sub_attribute_of_the_filtered_values()
    {
        var user = PatchUser("""{"Operations":[{"op":"remove","path":"addresses[type eq \"work\"].postalCode"}]}""");

        Assert.Null(user.Addresses![0].PostalCode);
        Assert.Equal("91608", user.Addresses[1].PostalCode);
    }

    [Fact]
    public void Replace_all_members_3_5_2_3()
    {
        var group = PatchGroup($$"""
            {"Operations":[{"op":"replace","path":"members","value":[
              {"display":"Babs Jensen","$ref":"https://example.com/v2/Users/{{NewMember}}","value":"{{NewMember}}"},
              {"display":"James Smith","$ref":"https://example.com/v2/Users/08e1d05d","value":"08e1d05d"}]}]}
            """);

        Assert.Equal([NewMember, "08e1d05d"], MemberIds(group));
    }

    [Fact]
    public void Replace_the_work_address_by_filter_3_5_2_3()
    {
        var user = PatchUser("""
            {"Operations":[{"op":"replace","path":"addresses[type eq \"work\"]","value":{
              "type":"work","streetAddress":"911 Universal City Plaza","locality":"Hollywood","region":"CA",
              "postalCode":"91608","country":"US","formatted":"911 Universal City Plaza\nHollywood, CA 91608 US","primary":true}}]}
            """);

        Assert.Equal(2, user.Addresses!.Count);
        Assert.Equal("911 Universal City Plaza", user.Addresses[0].StreetAddress);
        Assert.Equal("US", user.Addresses[0].Country);
        Assert.True(user.Addresses[0].Primary);
        Assert.Equal("456 Hollywood Blvd", user.Addresses[1].StreetAddress);
    }

    [Fact]
    public void Replace_a_sub_attribute_of_the_filtered_values_3_5_2_3()
    {
        var user = PatchUser("""{"Operations":[{"op":"replace","path":"addresses[type eq \"work\"].streetAddress","value":"1010 Broadway Ave"}]}""");

        Assert.Equal("1010 Broadway Ave", user.Addresses![0].StreetAddress);
        Assert.Equal("Hollywood", user.Addresses[0].Locality);
        Assert.Equal("456 Hollywood Blvd", user.Addresses[1].StreetAddress);
    }

    [Fact]
    public void Replace_several_attributes_without_path_3_5_2_3()
    {
        var user = PatchUser("""
            {"Operations":[{"op":"replace","value":{
              "emails":[{"value":"bjensen@example.com","type":"work","primary":true},{"value":"babs@jensen.org","type":"home"}],
              "nickname":"Babs2"}}]}
            """);

        Assert.Equal("Babs2", user.NickName);
        Assert.Equal(["bjensen@example.com", "babs@jensen.org"], user.Emails!.Select(e => e.Value));
        Assert.True(user.Emails![0].Primary);
    }

    [Fact]
    public void Replace_a_multi_valued_attribute_replaces_all_its_values_3_5_2_3()
    {
        var user = PatchUser("""{"Operations":[{"op":"replace","path":"phoneNumbers","value":[{"value":"555-1","type":"home"}]}]}""");

        Assert.Equal(["555-1"], user.PhoneNumbers!.Select(p => p.Value));
    }

    [Fact]
    public void Replace_of_an_unassigned_attribute_adds_it_3_5_2_3()
    {
        var user = PatchUser("""{"Operations":[{"op":"replace","path":"roles","value":[{"value":"admin"}]}]}""");

        Assert.Equal("admin", Assert.Single(user.Roles!).Value);
    }

    [Fact]
    public void Replace_with_a_filter_that_matches_nothing_and_is_not_an_equality_is_noTarget_3_5_2_3()
    {
        var error = PatchFails(StoredUser(), """{"Operations":[{"op":"replace","path":"emails[value co \"nowhere\"].type","value":"x"}]}""");

        Assert.Equal(ScimType.NoTarget, error.ScimType);
    }

    [Fact]
    public void An_extension_attribute_by_its_URN_path()
    {
        var user = PatchUser("""{"Operations":[{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value","value":"boss"}]}""");

        Assert.Equal("boss", user.EnterpriseUser!.Manager!.Value);
        Assert.Equal("Tour Operations", user.EnterpriseUser.Department);
    }

    [Fact]
    public void Core_attribute_by_its_URN_qualified_path()
    {
        var user = PatchUser("""{"Operations":[{"op":"replace","path":"urn:ietf:params:scim:schemas:core:2.0:User:name.givenName","value":"B"}]}""");

        Assert.Equal("B", user.Name!.GivenName);
    }

    [Fact]
    public void Removing_every_extension_attribute_removes_the_extension_object_and_its_schema_urn()
    {
        var dom = ApplyPatch(StoredUser(), $$"""{"Operations":[{"op":"remove","path":"{{EnterpriseUrn}}"}]}""");

        Assert.False(dom.ContainsKey(EnterpriseUrn));
        Assert.DoesNotContain(EnterpriseUrn, dom["schemas"]!.AsArray().Select(s => (string?)s));
        Assert.Null(ReadUser(dom).EnterpriseUser);
    }

    [Fact]
    public void Adding_an_extension_attribute_to_a_user_without_it_adds_the_schema_urn()
    {
        var stored = StoredUser();
        stored.Remove(EnterpriseUrn);
        stored["schemas"]!.AsArray().RemoveAt(1);

        var dom = ApplyPatch(stored, """{"Operations":[{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber","value":"42"}]}""");

        Assert.Contains(EnterpriseUrn, dom["schemas"]!.AsArray().Select(s => (string?)s));
        Assert.Equal("42", ReadUser(dom).EnterpriseUser!.EmployeeNumber);
    }
}
