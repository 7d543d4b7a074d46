namespace FastScim.Core.Patch;

/// <summary>The "op" of a PATCH operation, RFC 7644 §3.5.2.</summary>
public enum PatchOperationType
{
    Add,
    Remove,
    Replace,
}
