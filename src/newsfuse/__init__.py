"""newsfuse: read the news from many outlets and turn it into one sourced account per story."""

__version__ = "0.1.0"
