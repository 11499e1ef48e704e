"""Story grouping: online assignment of articles to stories (features, index, assign, copies)."""

from newsfuse.stories.assign import Assigner, Decision
from newsfuse.stories.copies import copy_groups
from newsfuse.stories.features import ArticleFeatures, article_features
from newsfuse.stories.index import StoryIndex
from newsfuse.stories.service import cluster_store, describe, merge, split

__all__ = [
    "ArticleFeatures", "Assigner", "Decision", "StoryIndex", "article_features", "cluster_store", "copy_groups",
    "describe", "merge", "split",
]
