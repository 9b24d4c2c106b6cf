"""Self-study and the student's loop: ``dlfs start`` / ``check`` / ``compare`` / ``plot``.

* ``workspace``: find the scaffold, copy it into a new folder (``dlfs start``).
* ``check``: grade a folder with the hidden suites and summarise progress per chapter.
* ``compare``: run one exercise on the learner's and the reference code, side by side.
* ``plots``: the book's figures drawn from the learner's code next to the reference's.

Nothing here imports a learner's code: it is reached through ``grader.worker`` only.
"""
