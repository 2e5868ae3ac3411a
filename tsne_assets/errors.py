"""Expected failures: the command line reports each in one line, without a traceback."""


class CollectionBusyError(Exception):
    """Another run of the collection is unfinished; this one did nothing."""


class MissingPackageError(ImportError):
    """An optional feature was asked for whose package is not installed."""


class StorageUnavailableError(Exception):
    """Object storage did not answer an operation within the retry time (``core.s3``)."""

    def __init__(self, endpoint: str, operation: str, seconds: float, reason: str) -> None:
        super().__init__(endpoint, operation, seconds, reason)  # all the arguments: it pickles
        self.endpoint, self.operation, self.seconds, self.reason = endpoint, operation, seconds, reason

    def __str__(self) -> str:
        return (
            f"S3 at {self.endpoint} is not answering: {self.operation} failed ({self.reason}); "
            f"gave up after {self.seconds:.1f} s"
        )


#: Failures the command line reports in one line, without a traceback.
EXPECTED_ERRORS = (ValueError, FileNotFoundError, MissingPackageError, CollectionBusyError, StorageUnavailableError)
