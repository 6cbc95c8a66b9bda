"""Errors the command line turns into one clear line and exit code 2."""

_ESCAPES = {i: f"\\x{i:02x}" for i in range(32)} | {10: "\\n", 13: "\\r", 9: "\\t", 127: "\\x7f"}


def one_line(text: str) -> str:
    """``text`` with line breaks and other control characters shown as escapes."""
    return str(text).translate(_ESCAPES)


class InputError(ValueError):
    """Bad user input: a scenario file, a lever, a command-line value.

    The message is one line that names the field and the allowed values (control characters
    from the input, such as a line break in a key, are shown escaped).
    """

    def __init__(self, message: str = ""):
        super().__init__(one_line(message))
