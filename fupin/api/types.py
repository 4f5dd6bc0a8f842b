"""Field types shared by every app's API schemas."""

from typing import Annotated

from pydantic import Field

# The years fupin holds records for: from before targeted poverty alleviation (2014) to well past
# any plan's horizon. Outside this a year is a typo, and dates built from it would overflow.
YEAR_MIN = 1990
YEAR_MAX = 2100

Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX, description=f"年度（{YEAR_MIN}–{YEAR_MAX}）")]
