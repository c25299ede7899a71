"""The Textual app: browse prompts, practise against the clock, read the grading, see history.

Everything shown comes from the same bank, grader and history store the CLI uses; no
grading logic lives here.
"""

from designprep.ui.app import DesignPrepApp

__all__ = ["DesignPrepApp"]
