"""Errors the command line turns into one clear line and exit code 2."""


class InputError(ValueError):
    """Bad user input: a scenario file, a lever, a command-line value.

    The message is one line that names the field and the allowed values.
    """
