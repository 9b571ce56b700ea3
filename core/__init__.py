"""Shared plumbing with no domain in it: errors, API conventions, uploads, exports, view helpers, client address.

Every other app may import ``core``; ``core`` imports no app of this project.
"""
