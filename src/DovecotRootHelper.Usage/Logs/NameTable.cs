namespace DovecotRootHelper.Usage.Logs;

/// <summary>
/// What the parser made of a name before, found again by its characters: a log names the same
/// users and mailboxes over and over, and each is made into a string (and checked) once rather
/// than on every line. Bounded: emptied when full, so memory does not grow with the log.
/// </summary>
internal sealed class NameTable<TValue>
{
    private const int Capacity = 1 << 16;

    private readonly Dictionary<string, TValue> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TValue>.AlternateLookup<ReadOnlySpan<char>> _byText;
    private readonly Func<string, TValue> _make;

    /// <param name="make">What a name stands for; called once per name (until the table is emptied).</param>
    public NameTable(Func<string, TValue> make)
    {
        _make = make;
        _byText = _values.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public TValue this[ReadOnlySpan<char> text]
    {
        get
        {
            if (_byText.TryGetValue(text, out TValue? value))
                return value;
            if (_values.Count >= Capacity)
                _values.Clear();
            string name = text.ToString();
            value = _make(name);
            _values.Add(name, value);
            return value;
        }
    }
}
