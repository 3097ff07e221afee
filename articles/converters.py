class ObjectIdConverter:
    """A database id: digits only, short enough for a 64-bit column, so a huge number is a 404, not a 500."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)
