"""Hints for chapter 3 mistakes."""

HINTS = {
    "hint.sigmoid_sign": "sigmoid is 1 / (1 + exp(-x)): the minus sign in exp(-x) is missing (3.2.4)",
}
