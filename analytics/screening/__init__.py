"""Department screening (部门筛查预警): department feeds against the population, households at risk flagged.

No Django here: the `fupin screen` command gives plain numbers and files, and reads the results.
"""

from analytics.screening.engines import ScreeningError
from analytics.screening.feeds import FEEDS, RULES
from analytics.screening.run import RunResult, screen
from analytics.screening.sql import Params

__all__ = ["FEEDS", "RULES", "Params", "RunResult", "ScreeningError", "screen"]
