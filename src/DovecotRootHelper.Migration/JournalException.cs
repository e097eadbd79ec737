namespace DovecotRootHelper.Migration;

/// <summary>A journal that cannot be read as one: truncated before its plan ends, garbled, or not a journal. The message names the file and the line.</summary>
public sealed class JournalException(string message, Exception? inner = null) : Exception(message, inner);
