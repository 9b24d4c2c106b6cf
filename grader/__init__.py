"""dlfs: the auto-graded exercise kit for *Deep Learning from Scratch* (chapters 3-7)."""

__version__ = "0.1.0"
