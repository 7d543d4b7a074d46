namespace FastScim.Core.Filtering;

/// <summary>The number rule of RFC 8259 §6, which compValue takes from JSON (RFC 7644 §3.4.2.2).</summary>
internal static class JsonNumber
{
    // number = [ minus ] int [ frac ] [ exp ]; int = zero / ( digit1-9 *DIGIT )
    // frac = "." 1*DIGIT; exp = ("e" / "E") [ "-" / "+" ] 1*DIGIT
    public static bool IsValid(ReadOnlySpan<char> s)
    {
        var i = 0;
        if (i < s.Length && s[i] == '-')
        {
            i++;
        }

        if (i >= s.Length || !char.IsAsciiDigit(s[i]))
        {
            return false;
        }

        if (s[i] == '0')
        {
            i++;
        }
        else
        {
            i = Digits(s, i);
        }

        if (i < s.Length && s[i] == '.')
        {
            var after = Digits(s, i + 1);
            if (after == i + 1)
            {
                return false;
            }

            i = after;
        }

        if (i < s.Length && s[i] is 'e' or 'E')
        {
            i++;
            if (i < s.Length && s[i] is '+' or '-')
            {
                i++;
            }

            var after = Digits(s, i);
            if (after == i)
            {
                return false;
            }

            i = after;
        }

        return i == s.Length;
    }

    private static int Digits(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        return i;
    }
}
