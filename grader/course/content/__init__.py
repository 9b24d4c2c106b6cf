"""Walkthrough notebook content, one module per chapter (see grader/course/notebook.py)."""
