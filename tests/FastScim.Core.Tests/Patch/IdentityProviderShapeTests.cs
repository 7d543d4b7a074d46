using FastScim.Core.Patch;
using static FastScim.Core.Tests.Patch.PatchFixtures;

namespace FastScim.Core.Tests.Patch;

/// <summary>Every PATCH shape of /work/shared/IDP-BEHAVIOUR.md (Entra with and without aadOptscim062020, Okta, OneLogin).</summary>
public class IdentityProviderShapeTests
{
    [Fact]
    public void Entra_default_Replace_with_a_boolean_string()
    {
        var user = PatchUser("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}""");

        Assert.False(user.Active);
    }

    [Fact]
    public void Entra_default_Add_to_a_single_valued_attribute_replaces_it()
    {
        var user = PatchUser("""{"Operations":[{"op":"Add","path":"nickName","value":"Babsie"}]}""");

        Assert.Equal("Babsie", user.NickName);
    }

    [Fact]
    public void Entra_default_filtered_email_and_extension_URN_replace()
    {
        var user = PatchUser("""
            {"Operations":[{"op":"Replace","path":"emails[type eq \"work\"].value","value":"x@y"},
                           {"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber","value":"Eqpj"}]}
            """);

        Assert.Equal("x@y", user.Emails![0].Value);
        Assert.Equal("work", user.Emails[0].Type);
        Assert.Equal("babs@jensen.org", user.Emails[1].Value);
        Assert.Equal("Eqpj", user.EnterpriseUser!.EmployeeNumber);
    }

    [Fact]
    public void Entra_default_Remove_members_with_a_value_array_removes_only_those()
    {
        var group = PatchGroup($$"""{"Operations":[{"op":"Remove","path":"members","value":[{"value":"{{Mandy}}"}]}]}""");

        Assert.Equal([UserId], MemberIds(group));
    }

    [Fact]
    public void Entra_default_Add_member_with_null_ref()
    {
        var dom = ApplyPatch(StoredGroup(), """{"Operations":[{"op":"Add","path":"members","value":[{"$ref":null,"value":"f648f8d5ea4e4cd38e9c"}]}]}""", ResourceSchema.Group);

        var added = dom["members"]!.AsArray()[2]!.AsObject();
        Assert.False(added.ContainsKey("$ref"));
        Assert.Equal([UserId, Mandy, "f648f8d5ea4e4cd38e9c"], MemberIds(ReadGroup(dom)));
    }

    [Fact]
    public void Entra_flagged_lower_case_replace_with_a_JSON_boolean()
    {
        var user = PatchUser("""{"Operations":[{"op":"replace","path":"active","value":false}]}""");

        Assert.False(user.Active);
    }

    [Fact]
    public void Entra_flagged_path_less_map_with_dotted_and_URN_keys()
    {
        var user = PatchUser("""
            {"Operations":[{"op":"replace","value":{"displayName":"Bjfe","name.givenName":"Kkom","name.familyName":"Unua",
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"Aklq"}}]}
            """);

        Assert.Equal("Bjfe", user.DisplayName);
        Assert.Equal("Kkom", user.Name!.GivenName);
        Assert.Equal("Unua", user.Name.FamilyName);
        Assert.Equal("Jane", user.Name.MiddleName);
        Assert.Equal("Aklq", user.EnterpriseUser!.EmployeeNumber);
        Assert.Equal("4130", user.EnterpriseUser.CostCenter);
    }

    [Fact]
    public void Entra_flagged_remove_member_by_filter()
    {
        var group = PatchGroup($$"""{"Operations":[{"op":"remove","path":"members[value eq \"{{Mandy}}\"]"}]}""");

        Assert.Equal([UserId], MemberIds(group));
    }

    [Fact]
    public void Entra_filtered_add_on_absent_emails_creates_the_element_erratum_8097()
    {
        var stored = StoredUser();
        stored.Remove("emails");

        var user = ReadUser(ApplyPatch(stored, """{"Operations":[{"op":"Add","path":"emails[type eq \"work\"].value","value":"new@contoso.com"}]}"""));

        var email = Assert.Single(user.Emails!);
        Assert.Equal("work", email.Type);
        Assert.Equal("new@contoso.com", email.Value);
    }

    [Fact]
    public void Entra_filtered_replace_with_no_match_appends_with_the_filter_type()
    {
        var user = PatchUser("""{"Operations":[{"op":"Replace","path":"emails[type eq \"other\"].value","value":"o@x.org"}]}""");

        Assert.Equal(3, user.Emails!.Count);
        Assert.Equal("other", user.Emails[2].Type);
        Assert.Equal("o@x.org", user.Emails[2].Value);
    }

    [Fact]
    public void Entra_manager_as_a_plain_string_becomes_a_value_object()
    {
        var dom = ApplyPatch(StoredUser(), """{"Operations":[{"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"myuser"}]}""");

        Assert.Equal("myuser", (string?)dom[EnterpriseUrn]!["manager"]!["value"]);
        Assert.Equal("myuser", ReadUser(dom).EnterpriseUser!.Manager!.Value);
    }

    [Fact]
    public void Entra_manager_as_a_string_in_a_path_less_extension_object()
    {
        var user = PatchUser("""{"Operations":[{"op":"add","value":{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":"m2","Department":"D"}}}]}""");

        Assert.Equal("m2", user.EnterpriseUser!.Manager!.Value);
        Assert.Equal("D", user.EnterpriseUser.Department);
    }

    [Fact]
    public void Entra_capitalised_attribute_names_in_values()
    {
        var user = PatchUser("""{"Operations":[{"op":"Replace","value":{"Active":"True","UserName":"Babs@Example.com","Emails":[{"Value":"a@b","Primary":"True","Type":"work"}]}}]}""");

        Assert.True(user.Active);
        Assert.Equal("Babs@Example.com", user.UserName);
        Assert.Equal("a@b", Assert.Single(user.Emails!).Value);
        Assert.True(user.Emails![0].Primary);
    }

    [Fact]
    public void Entra_unmodelled_sub_attribute_is_skipped_when_the_tenant_ignores_unknown_attributes()
    {
        var stored = StoredUser();
        var lenient = ApplyPatch(stored, """{"Operations":[{"op":"Replace","path":"emails[type eq \"work\"].nickname","value":"x"}]}""", options: new PatchOptions { IgnoreUnknownAttributes = true });

        Assert.Equal(stored.ToJsonString(), lenient.ToJsonString());
        Assert.Equal(FastScim.Core.Protocol.ScimType.InvalidPath,
            PatchFails(stored, """{"Operations":[{"op":"Replace","path":"emails[type eq \"work\"].nickname","value":"x"}]}""").ScimType);
    }

    [Fact]
    public void Okta_path_less_deactivate()
    {
        var user = PatchUser("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}""");

        Assert.False(user.Active);
        Assert.Equal("bjensen@example.com", user.UserName);
    }

    [Fact]
    public void Okta_group_rename_with_its_own_id_in_the_value()
    {
        var dom = ApplyPatch(StoredGroup(), $$$"""{"Operations":[{"op":"replace","value":{"id":"{{{GroupId}}}","displayName":"Test SCIMv2"}}]}""", ResourceSchema.Group);

        Assert.Equal(GroupId, (string?)dom["id"]);
        Assert.Equal("Test SCIMv2", ReadGroup(dom).DisplayName);
    }

    [Fact]
    public void Okta_remove_by_filter_and_add_in_one_request()
    {
        var group = PatchGroup($$"""
            {"Operations":[{"op":"remove","path":"members[value eq \"{{Mandy}}\"]"},
                           {"op":"add","path":"members","value":[{"value":"23a35c27","display":"test.user@okta.local"}]}]}
            """);

        Assert.Equal([UserId, "23a35c27"], MemberIds(group));
    }

    [Fact]
    public void Okta_remove_of_a_member_that_is_not_there_succeeds_and_changes_nothing()
    {
        var stored = StoredGroup();
        var patched = ApplyPatch(stored, """{"Operations":[{"op":"remove","path":"members[value eq \"nobody\"]"}]}""", ResourceSchema.Group);

        Assert.Equal(stored.ToJsonString(), patched.ToJsonString());
    }

    [Fact]
    public void Okta_replace_members_with_an_empty_array_clears_them()
    {
        var dom = ApplyPatch(StoredGroup(), """{"Operations":[{"op":"replace","path":"members","value":[]}]}""", ResourceSchema.Group);

        Assert.False(dom.ContainsKey("members"));
        Assert.Null(ReadGroup(dom).Members);
    }

    [Fact]
    public void OneLogin_lower_case_add_to_a_group()
    {
        var group = PatchGroup("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"ol-1"}]}]}""");

        Assert.Equal([UserId, Mandy, "ol-1"], MemberIds(group));
    }

    [Fact]
    public void A_single_value_for_a_multi_valued_attribute_is_a_one_element_array()
    {
        var group = PatchGroup("""{"Operations":[{"op":"Add","path":"members","value":{"value":"single"}}]}""");

        Assert.Equal([UserId, Mandy, "single"], MemberIds(group));
    }

    [Fact]
    public void A_new_primary_email_takes_primary_from_the_others_RFC_7643_2_4()
    {
        var user = PatchUser("""{"Operations":[{"op":"add","path":"emails","value":[{"value":"p@x.org","type":"other","primary":true}]}]}""");

        Assert.Equal([null, null, true], user.Emails!.Select(e => e.Primary == true ? true : (bool?)null));
    }

    [Fact]
    public void Setting_primary_by_filter_moves_it()
    {
        var user = PatchUser("""{"Operations":[{"op":"replace","path":"emails[type eq \"home\"].primary","value":"True"}]}""");

        Assert.NotEqual(true, user.Emails![0].Primary);
        Assert.True(user.Emails[1].Primary);
    }

    [Fact]
    public void A_null_value_in_replace_unassigns()
    {
        var user = PatchUser("""{"Operations":[{"op":"replace","path":"nickName","value":null},{"op":"replace","value":{"title":null}}]}""");

        Assert.Null(user.NickName);
        Assert.Null(user.Title);
        Assert.Equal("Babs Jensen", user.DisplayName);
    }

    [Fact]
    public void Echoed_schemas_and_meta_in_a_path_less_value_are_ignored()
    {
        var stored = StoredUser();
        var dom = ApplyPatch(stored, """{"Operations":[{"op":"replace","value":{"schemas":["x"],"meta":{"version":"W/\"1\""},"title":"T"}}]}""");

        Assert.Equal(stored["meta"]!.ToJsonString(), dom["meta"]!.ToJsonString());
        Assert.Equal(stored["schemas"]!.ToJsonString(), dom["schemas"]!.ToJsonString());
        Assert.Equal("T", ReadUser(dom).Title);
    }

    [Fact]
    public void A_value_left_without_sub_attributes_is_dropped()
    {
        var dom = ApplyPatch(StoredUser(), """{"Operations":[{"op":"remove","path":"ims[type eq \"aim\"].value"},{"op":"remove","path":"ims.type"}]}""");

        Assert.False(dom.ContainsKey("ims"));
    }
}
