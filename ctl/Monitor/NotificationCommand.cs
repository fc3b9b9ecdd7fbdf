using System.Text;

namespace Tinyinit.Ctl.Monitor;

/// <summary>
/// The monitor's command template (ctl.md §13): split into words at whitespace, <c>"</c> quotes
/// runs (and is removed); per word <c>%n</c> name, <c>%s</c> status text, <c>%v</c> value,
/// <c>%%</c> and a trailing <c>%</c> → <c>%</c>, other <c>%x</c> kept as is (the documented
/// intent, not the reference's mishandling).
/// </summary>
internal static class NotificationCommand
{
    public static List<string> Split(string command)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false, quoted = false;
        foreach (var c in command)
        {
            if (c == '"') { quoted = !quoted; inWord = true; continue; }
            if (!quoted && char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
                continue;
            }
            word.Append(c);
            inWord = true;
        }
        if (inWord) words.Add(word.ToString());
        return words;
    }

    public static string Substitute(string word, string name, string status, string value)
    {
        var result = new StringBuilder(word.Length + 16);
        for (var i = 0; i < word.Length; i++)
        {
            if (word[i] != '%' || i + 1 == word.Length) { result.Append(word[i]); continue; }
            var next = word[++i];
            switch (next)
            {
                case 'n': result.Append(name); break;
                case 's': result.Append(status); break;
                case 'v': result.Append(value); break;
                case '%': result.Append('%'); break;
                default: result.Append('%').Append(next); break;
            }
        }
        return result.ToString();
    }
}
