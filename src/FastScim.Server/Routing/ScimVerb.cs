namespace FastScim.Server.Routing;

public enum ScimVerb : byte
{
    Other,
    Get,
    Post,
    Put,
    Patch,
    Delete,
}
