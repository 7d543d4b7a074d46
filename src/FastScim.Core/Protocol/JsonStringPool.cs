using System.Text.Json;

namespace FastScim.Core.Protocol;

/// <summary>
/// One string for each short text that request bodies repeat: a directory's attribute values are
/// mostly the same few (email and phone types, locales, time zones, countries, titles,
/// departments), and every resource read from a body keeps its strings in the in-memory model.
/// A lookup table of <see cref="Slots"/> strings, each slot chosen by a hash of the text's UTF-8
/// bytes: a text found in its slot is answered with that string, any other is made and put there
/// (replacing the one before, so texts seen once, such as userNames, pass through and cost a hash
/// and a compare). Issue 7: POST /Users allocated 2.4 KB of strings, most of them such repeats.
/// </summary>
/// <remarks>
/// Strings are immutable, so sharing one is invisible to its readers. Threads read and replace
/// slots without a lock: a reference is read or written whole, and a string is used only after it
/// is compared with the text. A hash chosen to collide only makes texts miss their slot (they are
/// then made afresh, as without the pool).
/// </remarks>
internal static class JsonStringPool
{
    /// <summary>The longest text (in UTF-8 bytes) kept: long texts rarely repeat, and the compare is on the stack.</summary>
    private const int MaxBytes = 64;

    private const int Slots = 4096;

    private static readonly string?[] Table = new string?[Slots];

    /// <summary>The current string token's text; null when it has none (as <see cref="Utf8JsonReader.GetString"/> throws).</summary>
    public static string? TryRead(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > MaxBytes)
        {
            return JsonText.TryReadPrivate(ref reader);
        }

        ReadOnlySpan<byte> utf8 = reader.ValueSpan;
        Span<char> chars = stackalloc char[MaxBytes];
        if (System.Text.Unicode.Utf8.ToUtf16(utf8, chars, out _, out int length, replaceInvalidSequences: false) != System.Buffers.OperationStatus.Done)
        {
            return JsonText.TryReadPrivate(ref reader); // not UTF-8: the reader says so as it always did
        }

        ReadOnlySpan<char> text = chars[..length];
        int slot = (int)((uint)string.GetHashCode(text) % Slots);
        string? pooled = Volatile.Read(ref Table[slot]);
        if (pooled is not null && text.SequenceEqual(pooled))
        {
            return pooled;
        }

        string made = new(text);
        Volatile.Write(ref Table[slot], made);
        return made;
    }
}
