"""Errors the command line turns into a one-line message and exit status 2."""


class InputError(ValueError):
    """Bad user input: a parameter outside its domain, a malformed file, ...

    The message is one line, written for the person who typed the input.
    """
