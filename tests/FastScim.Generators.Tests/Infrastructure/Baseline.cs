using System.Text;

namespace FastScim.Generators.Tests.Infrastructure;

/// <summary>
/// Snapshot comparison of generated sources against Baselines/{Test}/{HintName}.cs.txt, the
/// runtime-generator way (no Verify). FASTSCIM_UPDATE_BASELINES=1 rewrites the baselines.
/// </summary>
internal static class Baseline
{
    public static void Verify(HarnessResult result, string testName)
    {
        var directory = Path.Combine(Paths.Baselines, testName);
        var update = Environment.GetEnvironmentVariable("FASTSCIM_UPDATE_BASELINES") == "1";
        var generated = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in result.Result.GeneratedSources)
        {
            var fileName = source.HintName.EndsWith(".cs", StringComparison.Ordinal)
                ? source.HintName[..^3] + ".cs.txt"
                : source.HintName + ".txt";
            generated[fileName] = Normalize(source.SourceText.ToString());
        }

        if (update)
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            Directory.CreateDirectory(directory);
            foreach (var (fileName, text) in generated)
            {
                File.WriteAllText(Path.Combine(directory, fileName), text, new UTF8Encoding(false));
            }

            return;
        }

        Assert.True(Directory.Exists(directory), "No baselines at " + directory + "; run with FASTSCIM_UPDATE_BASELINES=1.");
        var expectedFiles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(directory, "*.txt"))
        {
            expectedFiles.Add(Path.GetFileName(file));
        }

        Assert.Equal(expectedFiles, new SortedSet<string>(generated.Keys, StringComparer.Ordinal));
        foreach (var (fileName, actual) in generated)
        {
            var expected = Normalize(File.ReadAllText(Path.Combine(directory, fileName)));
            if (expected == actual)
            {
                continue;
            }

            var expectedLines = expected.Split('\n');
            var actualLines = actual.Split('\n');
            for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
            {
                var e = i < expectedLines.Length ? expectedLines[i] : "<end of file>";
                var a = i < actualLines.Length ? actualLines[i] : "<end of file>";
                Assert.True(e == a, $"{testName}/{fileName} differs at line {i + 1}:\n expected: {e}\n   actual: {a}");
            }
        }
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\uFEFF');
}
