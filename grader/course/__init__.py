"""The nbgrader bridge: a course whose autograde scores come from the dlfs judge.

Steps, each a small module: ``sources`` (assignments/source from scaffold/), ``setup``
(``dlfs course init``), ``release`` (generate + leak check + exchange), ``judging`` (the judge on
every collected submission, in parallel), ``autograde`` (nbgrader's Autograde app with the
judge's scores), ``feedback``, ``export``. ``commands`` wires them to ``dlfs course …``.
"""

from grader.course import messages as _messages  # noqa: F401  (registers the course.* message ids)
