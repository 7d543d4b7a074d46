using FastScim.Generators.Model;
using Microsoft.CodeAnalysis;

namespace FastScim.Generators.Emitting;

/// <summary>Runs the emitters a compilation asked for; hint names are stable and ordinal-ordered by construction.</summary>
internal static class Emitter
{
    public static void EmitAll(SourceProductionContext context, SchemaSet set, GeneratorOutputs outputs)
    {
        if (outputs == GeneratorOutputs.None || (set.Schemas.Count == 0 && set.ResourceTypes.Count == 0))
        {
            return;
        }

        var plan = GenerationPlan.Build(set);
        if (outputs == GeneratorOutputs.Bson)
        {
            BsonEmitter.Emit(context, plan);
            return;
        }

        ResourceEmitter.Emit(context, plan);
        JsonEmitter.Emit(context, plan);
        AttributesEmitter.Emit(context, plan);
        AccessorsEmitter.Emit(context, plan);
    }
}
