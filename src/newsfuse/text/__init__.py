"""Shared language helpers that several stages need: calendar, words, union-find and the lazy model loaders.

Stages import from here, never from one another (DESIGN.md section 4): what two stages both need lives once.
"""
