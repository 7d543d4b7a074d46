namespace FastScim.Generators;

/// <summary>Step names the incremental tests look up in the driver's tracked steps.</summary>
internal static class TrackingNames
{
    public const string SchemaFiles = nameof(SchemaFiles);
    public const string ParseSchemaFile = nameof(ParseSchemaFile);
    public const string BuildSchemaSet = nameof(BuildSchemaSet);
    public const string SchemaModel = nameof(SchemaModel);
    public const string Outputs = nameof(Outputs);
}
