"""Background training of livebot's models: jobs, workers, checkpoints, registry."""

from importlib import metadata

try:
    __version__ = metadata.version("livebot")
except metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
