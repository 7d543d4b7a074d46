using System.Collections;
using System.Reflection;
using FastScim.Core.Resources;

namespace FastScim.Storage.Tests.TestSupport;

/// <summary>
/// Seeded random users and groups where every attribute (found by reflection over the generated
/// model, so a new schema attribute is covered without touching this file) is independently absent,
/// empty or present; strings include empty, unicode and very long ones; dates include sub-millisecond
/// ticks, non-zero offsets and DateTimeOffset's extremes. A property type it does not know fails loudly.
/// </summary>
internal sealed class RandomResources(int seed)
{
    private static readonly string[] Strings =
    [
        "", "bjensen", "Barbara Jensen", "straße", "ÉMILE", "µser", "\u212Aelvin", "名字", "😀 emoji 🧑‍🚀",
        "tab\tnew\nline", "quote\" back\\slash", "nul\0inside", "\uFFFD", "urn:ietf:params:scim:schemas:core:2.0:User",
    ];

    private static readonly long MaxTicks = DateTime.MaxValue.Ticks;

    private readonly Random _random = new(seed);

    public User User() => Fill(new User { Meta = Meta("User") });

    public Group Group() => Fill(new Group { Meta = Meta("Group") });

    /// <summary>A string of 0–3 pieces from <see cref="Strings"/>, now and then thousands of chars long.</summary>
    public string String()
    {
        if (_random.Next(40) == 0)
        {
            return new string('é', _random.Next(1000, 6000)) + Strings[_random.Next(Strings.Length)];
        }

        var pieces = _random.Next(4);
        var text = string.Empty;
        for (var i = 0; i < pieces; i++)
        {
            text += Strings[_random.Next(Strings.Length)];
        }

        return text;
    }

    /// <summary>
    /// A date: mostly any UTC tick (sub-millisecond ones included) seen at an offset of up to ±14 h;
    /// sometimes DateTimeOffset.MinValue/MaxValue or within a millisecond of them, at an offset too.
    /// </summary>
    public DateTimeOffset Date()
    {
        var offset = TimeSpan.FromMinutes(_random.Next(-14 * 60, 14 * 60 + 1));
        long utcTicks = _random.Next(8) switch
        {
            0 => 0,
            1 => MaxTicks,
            2 => _random.NextInt64(TimeSpan.TicksPerMillisecond),
            3 => MaxTicks - _random.NextInt64(TimeSpan.TicksPerMillisecond),
            _ => _random.NextInt64(MaxTicks),
        };
        var localTicks = utcTicks + offset.Ticks;
        if (localTicks < 0 || localTicks > MaxTicks)
        {
            offset = TimeSpan.Zero;
            localTicks = utcTicks;
        }

        return new DateTimeOffset(new DateTime(localTicks, DateTimeKind.Unspecified), offset);
    }

    private ResourceMeta? Meta(string resourceType)
    {
        if (_random.Next(6) == 0)
        {
            return null;
        }

        return new ResourceMeta
        {
            ResourceType = Maybe() ? resourceType : null,
            Created = Maybe() ? Date() : null,
            LastModified = Maybe() ? Date() : null,
            Version = Maybe() ? "W/\"" + _random.Next(1000) + "\"" : null,

            // never stored: present or not, the bytes must not change
            Location = Maybe() ? "https://example.com/v2/" + resourceType + "s/x" : null,
        };
    }

    private bool Maybe() => _random.Next(4) != 0;

    private T Fill<T>(T target)
        where T : class
    {
        foreach (var property in target.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanWrite || property.PropertyType == typeof(ResourceMeta))
            {
                continue;
            }

            property.SetValue(target, Value(property.PropertyType, property.Name == "Id" ? 10 : 4));
        }

        return target;
    }

    // absentOneIn: how rarely a value is missing (ids almost always present, as in the store)
    private object? Value(Type type, int absentOneIn)
    {
        if (_random.Next(absentOneIn) == 0)
        {
            return null;
        }

        if (type == typeof(string))
        {
            return String();
        }

        if (type == typeof(bool?))
        {
            return _random.Next(2) == 0;
        }

        if (type == typeof(long?))
        {
            return _random.Next(3) == 0 ? _random.NextInt64(long.MinValue, long.MaxValue) : _random.Next(-5, 5);
        }

        if (type == typeof(decimal?))
        {
            return new decimal(_random.Next(), _random.Next(), _random.Next(), _random.Next(2) == 0, (byte)_random.Next(29));
        }

        if (type == typeof(DateTimeOffset?))
        {
            return Date();
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            var item = type.GetGenericArguments()[0];
            var list = (IList)Activator.CreateInstance(type)!;
            var count = _random.Next(3) == 0 ? 0 : _random.Next(1, 5);
            for (var i = 0; i < count; i++)
            {
                // a null string item is a BSON null in ToDocument's array; value-type and complex items are never null
                list.Add(item == typeof(string) ? Value(item, 8) : item.IsValueType ? Value(typeof(Nullable<>).MakeGenericType(item), int.MaxValue) : Complex(item));
            }

            return list;
        }

        if (type.Namespace == typeof(User).Namespace && type.IsClass)
        {
            return Complex(type);
        }

        throw new NotSupportedException("RandomResources does not know how to make a " + type + "; teach it, so the attribute is covered.");
    }

    private object Complex(Type type) => Fill(Activator.CreateInstance(type)!);
}
