"""Run the CLI as `python -m newsfuse`."""

from newsfuse.cli import main

main()
