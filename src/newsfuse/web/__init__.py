"""The local web app: stories, reports, articles and search over one database (FastAPI + Jinja2)."""

from newsfuse.web.app import create_app

__all__ = ["create_app"]
