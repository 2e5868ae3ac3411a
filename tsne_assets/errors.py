"""Expected failures: the command line reports each in one line, without a traceback."""


class CollectionBusyError(Exception):
    """Another run of the collection is unfinished; this one did nothing."""


class MissingPackageError(ImportError):
    """An optional feature was asked for whose package is not installed."""
