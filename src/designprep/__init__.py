"""designprep: practise system-design interview questions in the terminal, graded offline."""

__version__ = "0.1.0"
