namespace FastScim.Server.Routing;

internal enum ScimVerb : byte
{
    Other,
    Get,
    Post,
    Put,
    Patch,
    Delete,
}
